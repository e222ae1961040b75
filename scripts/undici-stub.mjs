// Stands in for the npm `undici` in the Action bundle (scripts/build.mjs). @actions/http-client imports
// it only to build a proxy dispatcher for @actions/github's default fetch, which the Action replaces with
// Node's own fetch (proxies: NODE_USE_ENV_PROXY=1). Leaving it out removes ~800 kB and ~30 ms of start-up.
export class ProxyAgent {}
export function fetch() {
  throw new Error("undici is not bundled in the gitops-failover Action: requests use Node's fetch");
}
