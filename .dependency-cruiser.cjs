// The house rules, checked by `npx depcruise engine adapters` in `npm test`. Each rule says
// why it exists; the README's picture of the house draws the same arrows.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-file-cycles",
      comment: "A cycle between files means neither can be read, tested or replaced on its own.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-folder-cycles",
      comment: "Rooms depend one way: a cycle between folders hides a rule that lives in two places.",
      severity: "error",
      scope: "folder",
      from: {},
      to: { circular: true },
    },
    {
      name: "engine-is-pure",
      comment: "The engine is plain functions over plain data: no file system, network, process or threads (node:*).",
      severity: "error",
      from: { path: "^engine/" },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "engine-knows-no-adapter",
      comment: "Data flows from the shell into the engine, never back: the engine imports nothing of adapters/, bench/ or test/.",
      severity: "error",
      from: { path: "^engine/" },
      to: { path: "^(adapters|bench|test)/" },
    },
    {
      name: "adapters-use-the-library",
      comment: "engine/index.ts is the library surface; the shell sees nothing else, so engine internals can change freely.",
      severity: "error",
      from: { path: "^adapters/" },
      to: { path: "^engine/", pathNot: "^engine/index\\.ts$" },
    },
    {
      name: "service-knows-no-transport",
      comment: "The service defines the ports (event source, forecast sink); transports implement them and cli wires them, never the reverse.",
      severity: "error",
      from: { path: "^adapters/service/" },
      to: { path: "^adapters/(transports|cli|batch|report)/" },
    },
    {
      name: "transports-know-no-command",
      comment: "A transport is wired by the CLI; it never reaches back into the command line.",
      severity: "error",
      from: { path: "^adapters/(transports|service|files|report|batch)/" },
      to: { path: "^adapters/cli/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
}
