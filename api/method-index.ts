/**
 * Which methods a path takes, matched the way fastify's router matches (find-my-way, the router fastify uses):
 * it tells "no such path" (404) from "this path, another method" (405 with `Allow`).
 */
import FindMyWay from 'find-my-way';

export class MethodIndex {
  private readonly router = FindMyWay();
  private readonly methods = new Set<FindMyWay.HTTPMethod>();
  private readonly routes = new Set<string>();

  /** Records a route as fastify announces it (the `onRoute` hook): one method or several, full path with prefix. */
  add(method: string | readonly string[], url: string): void {
    for (const one of typeof method === 'string' ? [method] : method) {
      const key = `${one} ${url}`;
      if (this.routes.has(key)) continue;
      this.routes.add(key);
      this.methods.add(one as FindMyWay.HTTPMethod);
      this.router.on(one as FindMyWay.HTTPMethod, url, () => undefined);
    }
  }

  /** The methods some route serves at this request URL (query string ignored), sorted; empty when none does. */
  allowed(url: string): string[] {
    const path = url.split('?', 1)[0] ?? url;
    return [...this.methods].filter((method) => this.router.find(method, path) !== null).sort();
  }
}
