"""Benchmark peer: the Duji model (scenarios/duji-2024/model.yaml) as a skilled numpy user
writes it. Arrays of shape (periods, variables, draws), so each period's values of a variable
are one contiguous row; every buffer allocated once and every operation written into it
(out=, in place), no temporary per operation; the terms of parameters alone folded once per
draw before the period loop; the linear simultaneous block {gdp, urban_income, rural_income,
retail_sales, services} solved in closed form (substitution into the gdp equation). Two modes:

  kernel DIR [--repeat N]   the engine's pre-sampled inputs (bench/inputs.ts wrote them to DIR:
                            inputs.json, params.f64, exo.f64, af.f64), rearranged once into
                            this layout outside the timing; times the solve and the annual
                            growth of every indicator (best of N after a warm-up); writes
                            DIR/annual.f64 (draws x indicators) for the equality check.
  mc MODEL --draws D [--seed S] [--no-uncertainty] [--repeat N] [--out FILE]
                            the whole Monte Carlo as project() does it: reads the model file,
                            samples every uncertain parameter (the draw replaces the value),
                            exogenous series and equation error (one draw per draw, added to
                            every period) with numpy's default Generator (PCG64), solves,
                            takes the year-to-date growth of every indicator through every
                            plan period, its exact quantiles (numpy's linear interpolation,
                            type 7, as the engine's) and mean, and the share of draws meeting
                            the target; prints one JSON line with the bands and its own times.
                            --no-uncertainty drops every distribution (every draw central).

Shell: reads the files it is given, writes annual.f64 or --out.
"""
import json
import sys
import time

import numpy as np

BLOCK = ("gdp", "urban_income", "rural_income", "retail_sales", "services")


class Kernel:
    """Preallocated buffers and the per-draw constants for D draws."""

    def __init__(self, endogenous, exogenous, T, D, fai_history):
        self.j = {name: i for i, name in enumerate(endogenous)}
        self.x = {name: i for i, name in enumerate(exogenous)}
        self.T, self.D = T, D
        self.out = np.empty((T, len(endogenous), D))
        self.tmp = np.empty(D)
        self.hist = fai_history  # most recent last

    def constants(self, P):
        """Terms of parameters alone, once per draw (arrays of shape (D,) or numbers)."""
        k = {}
        k["s_re"], k["s_mfg"] = P["s_re"], P["s_mfg"]
        k["c_infra"] = 1 - P["s_re"] - P["s_mfg"]
        k["fai0"] = P["s_mfg"] * P["mfg_gap"] + P["persist_fai"] * P["k_fai"]
        k["bc3"] = P["b_con"] / 3
        k["ind0"] = P["ind_nat"] + P["newfirm_pp"] * P["new_firms"] + P["persist_ind"] * P["k_ind"]
        k["b_cap"] = P["b_cap"]
        k["bfx"] = -P["base_fx"]  # base effects: - base_fx * bx_ind, - base_fx * bx_rt
        k["itot_ind"] = P["pt_ind"]
        k["itot0"] = (1 - P["pt_ind"]) * P["ind_nat"]
        k["sec_ind"] = P["w_ind"]
        k["sec_con"] = 1 - P["w_ind"]
        k["u_inc"] = 1 - P["e_ui"]
        k["u0"] = P["e_job"] * (P["jobs_new"] - P["jobs_ref"]) + P["persist"] * P["k_ui"]
        k["r_inc"] = P["sw"] * (1 - P["e_mig"])
        k["r_cpi"] = P["sw"] + P["sb"]
        k["r0"] = P["sb"] * P["agri"] + P["st"] * P["transfers"] + P["persist"] * P["k_ri"]
        k["rt0"] = P["promo"] + P["persist"] * P["k_rt"]
        mu = (P["mpc_u"] / P["apc_u"]) * P["wu"]
        mr = (P["mpc_r"] / P["apc_r"]) * (1 - P["wu"])
        k["mu"], k["mr"] = mu, mr
        k["c_ret"], k["c_hh"] = P["c_ret"], P["c_hh"]
        k["s_cpi"] = -(P["c_ret"] + P["c_hh"])
        k["s_sv"] = 1 - P["c_ret"] - P["c_hh"]
        k["s0"] = P["carry_sv"] * P["k_sv"]
        c3 = 1 - P["sh1"] - P["sh2"]
        g_rt = mu * P["e_ui"] + mr * P["sw"] * P["e_mig"]
        g_sv = P["c_ret"] * g_rt + P["c_hh"] * P["e_ui"]
        k["inv"] = 1 / (1 - c3 * g_sv)
        k["g0"] = P["sh1"] * P["agri"]
        k["sh2"], k["c3"] = P["sh2"], c3
        k["e_ui"] = P["e_ui"]
        k["sw_mig"] = P["sw"] * P["e_mig"]
        k["g_sv"] = g_sv
        k["buoy"] = P["buoy"]
        k["fr0"] = P["persist"] * P["k_fr"]
        k["l_fai"], k["l_fr"] = P["l_fai"], P["l_fr"]
        k["trade"] = P["e_ext"] * P["ext_demand"] + P["persist"] * P["k_tr"]
        return k

    def solve(self, P, X, A):
        """X(t, name) and A(t, name): that period's exogenous value and add-factor (arrays (D,) or numbers)."""
        k = self.constants(P)
        j, out, tmp = self.j, self.out, self.tmp

        def axpy(y, a, x):  # y += a * x, in place
            np.multiply(a, x, out=tmp)
            y += tmp

        for t in range(self.T):
            o = out[t]
            cpi, inc_nat = X(t, "cpi"), X(t, "inc_nat")
            key = o[j["key_firms"]]
            key.fill(0)
            key += A(t, "key_firms")
            fai = o[j["fai"]]
            np.multiply(k["s_re"], X(t, "re_inv"), out=fai)
            axpy(fai, k["s_mfg"], X(t, "mfg_inv"))
            axpy(fai, k["c_infra"], X(t, "infra_inv"))
            fai += k["fai0"]
            axpy(fai, k["l_fai"], key)
            fai += A(t, "fai")
            con = o[j["construction"]]
            lag = [out[t - s, j["fai"]] if t >= s else self.hist[t - s] for s in (1, 2, 3)]
            np.add(lag[0], lag[1], out=con)
            con += lag[2]
            con *= k["bc3"]
            con += A(t, "construction")
            ind = o[j["industry_va"]]
            np.multiply(k["b_cap"], fai, out=ind)
            ind += k["ind0"]
            ind += key
            axpy(ind, k["bfx"], X(t, "bx_ind"))
            ind += A(t, "industry_va")
            itot = o[j["industry_total"]]
            np.multiply(k["itot_ind"], ind, out=itot)
            itot += k["itot0"]
            itot += A(t, "industry_total")
            sec = o[j["secondary"]]
            np.multiply(k["sec_ind"], itot, out=sec)
            axpy(sec, k["sec_con"], con)
            sec += A(t, "secondary")
            # the block: urban = e_ui gdp + u0, rural = sw e_mig gdp + r0, retail = mu urban + mr rural + tc,
            # services = s0 + g_sv gdp, gdp = (sh1 agri + sh2 secondary + c3 services + af) / (1 - c3 g_sv)
            urb, rur, ret, srv, gdp = o[j["urban_income"]], o[j["rural_income"]], o[j["retail_sales"]], o[j["services"]], o[j["gdp"]]
            np.multiply(k["u_inc"], inc_nat, out=urb)
            urb += k["u0"]
            urb += cpi
            urb += A(t, "urban_income")
            np.multiply(k["r_inc"], inc_nat, out=rur)
            axpy(rur, k["r_cpi"], cpi)
            rur += k["r0"]
            rur += A(t, "rural_income")
            np.add(k["rt0"], A(t, "retail_sales"), out=ret)
            axpy(ret, k["bfx"], X(t, "bx_rt"))
            axpy(ret, k["mu"], urb)
            axpy(ret, k["mr"], rur)
            np.multiply(k["c_ret"], ret, out=srv)
            axpy(srv, k["c_hh"], urb)
            axpy(srv, k["s_cpi"], cpi)
            axpy(srv, k["s_sv"], X(t, "sv_nat"))
            srv += k["s0"]
            srv += A(t, "services")
            np.multiply(k["sh2"], sec, out=gdp)
            axpy(gdp, k["c3"], srv)
            gdp += k["g0"]
            gdp += A(t, "gdp")
            gdp *= k["inv"]
            axpy(urb, k["e_ui"], gdp)
            axpy(rur, k["sw_mig"], gdp)
            np.multiply(k["mu"], urb, out=tmp)  # retail from the solved incomes
            np.add(k["rt0"], A(t, "retail_sales"), out=ret)
            ret += tmp
            axpy(ret, k["bfx"], X(t, "bx_rt"))
            axpy(ret, k["mr"], rur)
            axpy(srv, k["g_sv"], gdp)
            nom = o[j["nominal_gdp"]]
            np.add(gdp, X(t, "deflator"), out=nom)
            nom += A(t, "nominal_gdp")
            fr = o[j["fiscal_revenue"]]
            np.multiply(k["buoy"], nom, out=fr)
            fr += k["fr0"]
            axpy(fr, k["l_fr"], key)
            fr += A(t, "fiscal_revenue")
            tr = o[j["trade"]]
            tr.fill(0)
            tr += k["trade"]
            tr += A(t, "trade")
            # the observable retail_above_quota = retail_sales + its noise
            np.add(ret, A(t, "retail_above_quota"), out=o[j["retail_above_quota"]])
        return out


class YearToDate:
    """Year-to-date growth of every indicator through every plan period, into one buffer."""

    def __init__(self, indicators, j, P, D):
        self.ind = indicators
        self.j = [j[i["id"]] for i in indicators]
        self.P = P
        self.ytd = np.empty((len(indicators), P, D))
        self.level = np.empty((P, D))
        self.count = np.arange(1, P + 1, dtype=float)[:, None]

    def __call__(self, out):
        for k, ind in enumerate(self.ind):
            g = out[: self.P, self.j[k], :]  # (P, D), rows contiguous
            y = self.ytd[k]
            if ind["kind"] == "rate":
                np.cumsum(g, axis=0, out=y)
                y /= self.count
            else:
                w = ind["w"][:, None]  # plan-year level weights: b, or b times the days ratio (calendar.days)
                np.divide(g, 100, out=self.level)
                self.level += 1
                self.level *= w
                np.cumsum(self.level, axis=0, out=y)
                y /= ind["cum_b"][:, None]
                y -= 1
                y *= 100
        return self.ytd


def days_of(year, P, k):
    import calendar

    months = 12 // P
    return sum(calendar.monthrange(year, m)[1] for m in range(k * months + 1, (k + 1) * months + 1))


def profile(ind, P, cal=None):
    """Normalised base profile b and plan-year level weights w (engine/ytd.ts indicatorProfile)."""
    p = np.asarray(ind.get("profile") or [1.0] * P, dtype=float)
    b = p / p.sum()
    if ind.get("plan") is not None:
        w = np.asarray(ind["plan"], dtype=float)
    elif cal is not None and cal.get("days") and ind["kind"] != "rate" and ind.get("days", ind["kind"] == "flow"):
        w = b * np.array([days_of(cal["planYear"], P, k) / days_of(cal["baseYear"], P, k) for k in range(P)])
    else:
        w = b
    return {**ind, "b": b, "w": w, "cum_b": np.cumsum(b)}


def kernel_mode(directory, repeat):
    meta = json.load(open(f"{directory}/inputs.json"))
    D, T = meta["draws"], meta["T"]
    endo, exo, par = meta["endogenous"], meta["exogenous"], meta["parameters"]
    n, nx, npar = len(endo), len(exo), len(par)
    # the engine's draw-major files, rearranged once into this layout (not timed)
    params = np.fromfile(f"{directory}/params.f64", dtype="<f8").reshape(D, npar)
    P = {name: np.ascontiguousarray(params[:, i]) for i, name in enumerate(par)}
    X3 = np.ascontiguousarray(np.fromfile(f"{directory}/exo.f64", dtype="<f8").reshape(D, T, nx).transpose(1, 2, 0))
    A3 = np.ascontiguousarray(np.fromfile(f"{directory}/af.f64", dtype="<f8").reshape(D, T, n).transpose(1, 2, 0))
    kern = Kernel(endo, exo, T, D, meta["history"]["fai"])
    ppy = meta["periodsPerYear"]
    inds = [profile(i, ppy) for i in meta["indicators"]]
    ytd = YearToDate(inds, kern.j, ppy, D)
    xi, ji = kern.x, kern.j
    X = lambda t, name: X3[t, xi[name]]
    A = lambda t, name: A3[t, ji[name]]

    def run():
        return ytd(kern.solve(P, X, A))[:, ppy - 1, :]

    run()
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        annual = run()
        best = min(best, time.perf_counter() - t0)
    np.ascontiguousarray(annual.T).astype("<f8").tofile(f"{directory}/annual.f64")
    return {"seconds": best, "repeat": repeat}


def sampler(dist, centre, role):
    """The model's distribution semantics (engine/project/distributions.ts): a function of (rng, D), or a number."""
    kind = dist["dist"]
    if kind == "normal":
        mean = dist.get("mean", centre if role == "replace" else 0.0)
        sd = dist["sd"]
        return mean if sd == 0 else (lambda rng, D: mean + sd * rng.standard_normal(D))
    if kind == "uniform":
        return lambda rng, D: rng.uniform(dist["min"], dist["max"], D)
    if kind == "triangular":
        mode = dist.get("mode", centre if role == "replace" else 0.0)
        return lambda rng, D: rng.triangular(dist["min"], mode, dist["max"], D)
    if kind == "lognormal":
        median = dist.get("median", centre)
        return lambda rng, D: median * np.exp(dist["sigma"] * rng.standard_normal(D))
    raise ValueError(kind)


def mc_mode(model_path, D, seed, uncertain, repeat):
    import yaml

    model = yaml.safe_load(open(model_path))
    cal = model["calendar"]
    ppy = {"monthly": 12, "quarterly": 4, "annual": 1}[cal["frequency"]]
    T = cal.get("horizon", ppy)
    indicators = [profile(i, ppy, cal) for i in model["indicators"]]
    endo = [i["id"] for i in model["indicators"]] + list(model.get("variables", {})) + list(model.get("observables") or {})
    exo = list(model["exogenous"])
    fai_ind = next(i for i in model["indicators"] if i["id"] == "fai")
    hist = fai_ind.get("history", fai_ind["base"]["growth"])
    hist = [float(hist)] * ppy if not isinstance(hist, list) else [float(h) for h in hist]
    kern = Kernel(endo, exo, T, D, hist)
    ytd = YearToDate(indicators, kern.j, ppy, D)
    errors = {i["id"]: i.get("error") for i in model["indicators"]}
    errors.update({name: v.get("error") for name, v in (model.get("variables") or {}).items()})
    # an observable's noise is its own variable's error
    errors.update({name: o.get("noise") for name, o in (model.get("observables") or {}).items()})
    # each error's AR(1) persistence: its own, else the model's observation.persistence (1: one draw per run)
    default_rho = (model.get("observation") or {}).get("persistence", 1)
    rho_of = {i["id"]: i.get("persistence", default_rho) for i in model["indicators"]}
    rho_of.update({name: (v or {}).get("persistence", default_rho) for name, v in (model.get("variables") or {}).items()})
    rho_of.update({name: o.get("persistence", default_rho) for name, o in (model.get("observables") or {}).items()})
    central_x = {name: np.broadcast_to(np.asarray(v["values"], dtype=float), (T,)) for name, v in model["exogenous"].items()}
    qs = [0.05, 0.25, 0.5, 0.75, 0.95]

    def run():
        times = {}
        t0 = time.perf_counter()
        rng = np.random.default_rng(seed)
        P = {}
        for name, p in model["parameters"].items():
            d = p.get("uncertainty") if uncertain else None
            s = float(p["value"]) if d is None else sampler(d, float(p["value"]), "replace")
            P[name] = s(rng, D) if callable(s) else s
        zx = {}
        for name, x in model["exogenous"].items():
            d = x.get("uncertainty") if uncertain else None
            s = None if d is None else sampler(d, 0.0, "add")
            zx[name] = s(rng, D) if callable(s) else s
        za = {}
        for name, d in errors.items():
            s = None if (d is None or not uncertain) else sampler(d, 0.0, "add")
            if not callable(s):
                za[name] = s or 0.0
                continue
            rho = rho_of[name]
            rho = np.clip(P[rho], 0.0, 1.0) if isinstance(rho, str) else float(rho)
            if np.all(np.asarray(rho) == 1.0):
                za[name] = s(rng, D)  # one draw per run, the same in every period
                continue
            # AR(1): u_0 from the distribution, u_t = rho u_(t-1) + sqrt(1 - rho^2) e_t (engine/project/draws.ts)
            u = np.empty((T, D))
            u[0] = s(rng, D)
            c = np.sqrt(1.0 - np.square(rho))
            for t in range(1, T):
                np.multiply(rho, u[t - 1], out=u[t])
                u[t] += c * s(rng, D)
            za[name] = u
        # an exogenous value per period: the central value plus the draw's one shift; preallocated rows
        xrow = {name: np.empty(D) for name in exo}

        def X(t, name):
            z = zx[name]
            if z is None or (not callable(z) and not isinstance(z, np.ndarray) and z == 0):
                return central_x[name][t]
            return np.add(z, central_x[name][t], out=xrow[name])

        A = lambda t, name: za[name][t] if isinstance(za[name], np.ndarray) and za[name].ndim == 2 else za[name]
        t1 = time.perf_counter()
        out = kern.solve(P, X, A)
        t2 = time.perf_counter()
        y = ytd(out)
        t3 = time.perf_counter()
        bands = np.quantile(y, qs, axis=-1)  # (5, indicators, P)
        means = y.mean(axis=-1)
        prob = []
        for k, ind in enumerate(indicators):
            tg = ind.get("target")
            a = y[k, ppy - 1]
            if tg is None:
                prob.append(None)
            elif tg["kind"] == "atLeast":
                prob.append(float(np.count_nonzero(a >= tg["value"])) / D)
            elif tg["kind"] == "atMost":
                prob.append(float(np.count_nonzero(a <= tg["value"])) / D)
            else:
                prob.append(float(np.count_nonzero((a >= tg["value"] - tg["band"]) & (a <= tg["value"] + tg["band"]))) / D)
        t4 = time.perf_counter()
        times.update(sample=t1 - t0, solve=t2 - t1, ytd=t3 - t2, quantiles=t4 - t3, total=t4 - t0)
        return bands, means, prob, times

    results = [run() for _ in range(max(1, repeat))]
    bands, means, prob, _ = results[-1]
    best = min(results, key=lambda r: r[3]["total"])[3]
    return {
        "indicators": [
            {
                "id": ind["id"],
                "probability": prob[k],
                "path": [{"mean": float(means[k, t]), **{f"p{int(q * 100):02d}": float(bands[i, k, t]) for i, q in enumerate(qs)}} for t in range(ppy)],
            }
            for k, ind in enumerate(indicators)
        ],
        "seconds": best,
        "draws": D,
    }


def main():
    argv = sys.argv[1:]
    opt = lambda name, default: argv[argv.index(name) + 1] if name in argv else default
    repeat = int(opt("--repeat", "5"))
    if argv[0] == "kernel":
        result = kernel_mode(argv[1], repeat)
    elif argv[0] == "mc":
        result = mc_mode(argv[1], int(opt("--draws", "100000")), int(opt("--seed", "1")), "--no-uncertainty" not in argv, repeat)
    else:
        raise SystemExit(f"usage: {__doc__}")
    result.update(numpy=np.__version__, python=sys.version.split()[0])
    text = json.dumps(result)
    if "--out" in argv:
        open(opt("--out", ""), "w").write(text)
    print(text if "--out" not in argv else json.dumps({k: v for k, v in result.items() if k != "indicators"}))


if __name__ == "__main__":
    main()
