"""Benchmark peer (d): the Duji model (scenarios/duji-2024/model.yaml) as an analyst would
write it in numpy: vectorized over the draws, a Python loop over the periods, the linear
simultaneous block {services, gdp, retail_sales, urban_income, rural_income} solved by
closed-form substitution. Reads the inputs bench/inputs.ts wrote to a directory
(inputs.json, params.f64, exo.f64, af.f64: little-endian float64, the engine's layouts),
writes annual.f64 (draws x indicators, model order) and prints one JSON line with its own
timing, measured around the computation only (best of --repeat runs after one warm-up).
Shell: reads and writes files in the directory it is given.

usage: python3 duji_numpy.py DIR [--repeat N]
"""
import json
import sys
import time

import numpy as np


def load(directory):
    meta = json.load(open(f"{directory}/inputs.json"))
    D, T = meta["draws"], meta["T"]
    n, nx, npar = len(meta["endogenous"]), len(meta["exogenous"]), len(meta["parameters"])
    params = np.fromfile(f"{directory}/params.f64", dtype="<f8").reshape(D, npar)
    exo = np.fromfile(f"{directory}/exo.f64", dtype="<f8").reshape(D, T, nx)
    af = np.fromfile(f"{directory}/af.f64", dtype="<f8").reshape(D, T, n)
    return meta, params, exo, af


def solve(meta, params, exo, af):
    """Solves every draw over the horizon; returns the annual growth, shape (draws, indicators)."""
    P = {name: params[:, i] for i, name in enumerate(meta["parameters"])}
    xi = {name: i for i, name in enumerate(meta["exogenous"])}
    ji = {name: j for j, name in enumerate(meta["endogenous"])}
    D, T, ppy = meta["draws"], meta["T"], meta["periodsPerYear"]
    out = np.empty((T, len(ji), D))

    # per-draw constants
    sh1, sh2, w_ind, b_con = P["sh1"], P["sh2"], P["w_ind"], P["b_con"]
    s_re, s_mfg, c_ret, c_hh = P["s_re"], P["s_mfg"], P["c_ret"], P["c_hh"]
    persist = P["persist"]
    mu = (P["mpc_u"] / P["apc_u"]) * P["wu"]
    mr = (P["mpc_r"] / P["apc_r"]) * (1 - P["wu"])
    c3 = 1 - sh1 - sh2
    g_rt = mu * P["e_ui"] + mr * P["sw"] * P["e_mig"]
    g_sv = c_ret * g_rt + c_hh * P["e_ui"]
    denom = 1 - c3 * g_sv
    fai_const = P["persist_fai"] * P["k_fai"]
    ind_const = P["ind_nat"] + P["newfirm_pp"] * P["new_firms"] + P["persist_ind"] * P["k_ind"]
    job_const = P["e_job"] * (P["jobs_new"] - P["jobs_ref"]) + persist * P["k_ui"]
    rur_const = P["st"] * P["transfers"] + persist * P["k_ri"]
    rt_const = P["promo"] + persist * P["k_rt"]
    trade = P["e_ext"] * P["ext_demand"] + persist * P["k_tr"]

    hist = meta["history"]["fai"]
    lags = [np.full(D, hist[-1]), np.full(D, hist[-2]), np.full(D, hist[-3])]  # fai(-1), fai(-2), fai(-3)
    for t in range(T):
        x = exo[:, t, :]
        a = af[:, t, :]
        cpi = x[:, xi["cpi"]]
        fai = s_re * x[:, xi["re_inv"]] + s_mfg * (x[:, xi["mfg_inv"]] + P["mfg_gap"]) + (1 - s_re - s_mfg) * x[:, xi["infra_inv"]] + fai_const + a[:, ji["fai"]]
        construction = b_con * (lags[0] + lags[1] + lags[2]) / 3 + a[:, ji["construction"]]
        industry = ind_const + P["b_cap"] * fai + a[:, ji["industry_va"]]
        secondary = w_ind * (P["cov"] * industry + (1 - P["cov"]) * P["ind_nat"]) + (1 - w_ind) * construction + a[:, ji["secondary"]]
        inc_nat = x[:, xi["inc_nat"]]
        u0 = (1 - P["e_ui"]) * inc_nat + job_const + cpi + a[:, ji["urban_income"]]
        r0 = P["sw"] * ((1 - P["e_mig"]) * inc_nat + cpi) + P["sb"] * (P["agri"] + cpi) + rur_const + a[:, ji["rural_income"]]
        tc = rt_const + a[:, ji["retail_sales"]]
        t0 = mu * u0 + mr * r0 + tc
        s0 = c_ret * (t0 - cpi) + c_hh * (u0 - cpi) + (1 - c_ret - c_hh) * x[:, xi["sv_nat"]] + persist * P["k_sv"] + a[:, ji["services"]]
        gdp = (sh1 * P["agri"] + sh2 * secondary + c3 * s0 + a[:, ji["gdp"]]) / denom
        urban = P["e_ui"] * gdp + u0
        rural = P["sw"] * P["e_mig"] * gdp + r0
        nominal = gdp + x[:, xi["deflator"]] + a[:, ji["nominal_gdp"]]
        o = out[t]
        o[ji["fai"]] = fai
        o[ji["construction"]] = construction
        o[ji["industry_va"]] = industry
        o[ji["secondary"]] = secondary
        o[ji["gdp"]] = gdp
        o[ji["urban_income"]] = urban
        o[ji["rural_income"]] = rural
        o[ji["retail_sales"]] = mu * urban + mr * rural + tc
        o[ji["services"]] = s0 + g_sv * gdp
        o[ji["nominal_gdp"]] = nominal
        o[ji["fiscal_revenue"]] = P["buoy"] * nominal + persist * P["k_fr"] + a[:, ji["fiscal_revenue"]]
        o[ji["trade"]] = trade + a[:, ji["trade"]]
        lags = [fai, lags[0], lags[1]]

    annual = np.empty((D, len(meta["indicators"])))
    for k, ind in enumerate(meta["indicators"]):
        g = out[:ppy, ji[ind["id"]], :]  # (P, D)
        if ind["kind"] == "rate":
            annual[:, k] = g.mean(axis=0)
        else:
            b = np.asarray(ind["profile"])[:, None]
            annual[:, k] = 100 * ((b * (1 + g / 100)).sum(axis=0) / b.sum() - 1)
    return annual


def main():
    directory = sys.argv[1]
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 5
    meta, params, exo, af = load(directory)
    annual = solve(meta, params, exo, af)  # warm-up
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        annual = solve(meta, params, exo, af)
        best = min(best, time.perf_counter() - t0)
    annual.astype("<f8").tofile(f"{directory}/annual.f64")
    blas = None
    try:
        from threadpoolctl import threadpool_info

        blas = [{k: i.get(k) for k in ("internal_api", "version", "architecture", "num_threads")} for i in threadpool_info()]
    except ImportError:
        pass
    print(json.dumps({"seconds": best, "repeat": repeat, "numpy": np.__version__, "python": sys.version.split()[0], "blas": blas}))


if __name__ == "__main__":
    main()
