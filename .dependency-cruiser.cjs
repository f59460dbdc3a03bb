/**
 * Import direction of the gateway (see README "Layout"):
 *   cli -> api -> gateway -> router, drivers -> common
 *   simulator -> drivers/codec, the pure protocol modules (drivers/smpp-protocol, drivers/at-protocol), common
 * plus: no cycles, and the codec and the protocol modules import nothing that does I/O.
 */
const IO_MODULES = [
  'fs', 'fs/promises', 'net', 'tls', 'dgram', 'http', 'https', 'http2', 'child_process', 'cluster',
  'worker_threads', 'dns', 'readline', 'process', 'os', 'timers', 'timers/promises', 'perf_hooks',
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'codec-is-pure',
      comment: 'drivers/codec is pure: no node I/O modules and no npm packages',
      severity: 'error',
      from: { path: '^drivers/codec/' },
      to: { dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'codec-imports-only-codec-and-common',
      severity: 'error',
      from: { path: '^drivers/codec/' },
      to: { path: '^(api|gateway|router|simulator|cli|drivers/(?!codec/))' },
    },
    {
      name: 'at-protocol-is-pure',
      comment: 'drivers/at-protocol is pure like the codec: no node I/O modules and no npm packages',
      severity: 'error',
      from: { path: '^drivers/at-protocol/' },
      to: { dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'at-protocol-imports-only-codec-and-common',
      severity: 'error',
      from: { path: '^drivers/at-protocol/' },
      to: { path: '^(api|gateway|router|simulator|cli|drivers/(?!(codec|at-protocol)/))' },
    },
    {
      name: 'smpp-protocol-is-pure',
      comment:
        'drivers/smpp-protocol is pure: no node I/O modules, and of npm only the smpp package (its lib/pdu.js, loaded through node:module createRequire, touches no socket)',
      severity: 'error',
      from: { path: '^drivers/smpp-protocol/' },
      to: {
        dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'],
        pathNot: ['^module$', '^node_modules/smpp/'],
      },
    },
    {
      name: 'smpp-protocol-imports-only-codec-and-common',
      severity: 'error',
      from: { path: '^drivers/smpp-protocol/' },
      to: { path: '^(api|gateway|router|simulator|cli|drivers/(?!codec/|smpp-protocol/))' },
    },
    {
      name: 'drivers-not-upward',
      severity: 'error',
      from: { path: '^drivers/' },
      to: { path: '^(api|gateway|router|simulator|cli)/' },
    },
    {
      name: 'router-not-upward',
      severity: 'error',
      from: { path: '^router/' },
      to: { path: '^(api|gateway|drivers|simulator|cli)/' },
    },
    {
      name: 'gateway-not-upward',
      severity: 'error',
      from: { path: '^gateway/' },
      to: { path: '^(api|simulator|cli)/' },
    },
    {
      name: 'api-not-to-tools',
      severity: 'error',
      from: { path: '^api/' },
      to: { path: '^(simulator|cli)/' },
    },
    {
      name: 'simulator-uses-only-pure-protocol',
      comment:
        'the simulator reuses the codec and the pure protocol modules (SMPP, AT), never the gateway, router, api or the driver shells',
      severity: 'error',
      from: { path: '^simulator/' },
      to: { path: '^(api|gateway|router|cli|drivers/(?!codec/|smpp-protocol/|at-protocol/))' },
    },
    {
      name: 'loopback-only-in-tests',
      comment: 'the strict loopback driver is a test double for the Driver port: production code never wires it',
      severity: 'error',
      from: { path: '^(api|gateway|router|drivers|simulator|cli|common)/', pathNot: '^drivers/loopback/' },
      to: { path: '^drivers/loopback/' },
    },
    {
      name: 'common-is-a-leaf',
      severity: 'error',
      from: { path: '^common/' },
      to: { path: '^(api|gateway|router|drivers|simulator|cli)/' },
    },
    {
      name: 'only-through-index',
      comment: 'another top-level folder is imported only through its index.ts',
      severity: 'error',
      from: { path: '^(api|gateway|router|drivers/[^/]+|simulator/[^/]+|cli|common)/' , pathNot: '^test/|^bench/'},
      to: {
        path: '^(api|gateway|router|drivers/[^/]+|simulator/[^/]+|common)/',
        pathNot: ['^$1/', '/index\\.ts$'],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    builtInModules: { add: IO_MODULES },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
