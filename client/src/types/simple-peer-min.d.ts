/**
 * The browser build of simple-peer (`simplepeer.min.js`) bundles its own `events`/`buffer` polyfills,
 * which the plain entry expects from Node. Same API, so it reuses the `@types/simple-peer` declarations.
 */
declare module 'simple-peer/simplepeer.min.js' {
  import SimplePeer = require('simple-peer');
  export = SimplePeer;
}
