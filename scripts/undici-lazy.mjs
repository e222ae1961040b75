// Stands in for `undici` in the Action bundle (scripts/build.mjs aliases it here). @actions/http-client
// and @actions/github import undici at the top of their modules, but use it only to send a request
// through a proxy. Evaluating undici costs ~30 ms of every start; this module defers it to first use.
// The real package is bundled too (required by path, which the alias does not rewrite).

let real;
function undici() {
  real ??= require('../node_modules/undici/index.js');
  return real;
}

export class ProxyAgent {
  constructor(...args) {
    // biome-ignore lint/correctness/noConstructorReturn: a lazy stand-in hands back the real instance
    return new (undici().ProxyAgent)(...args);
  }
}

export function fetch(...args) {
  return undici().fetch(...args);
}
