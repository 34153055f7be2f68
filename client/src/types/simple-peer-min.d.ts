/**
 * The browser build of simple-peer (`simplepeer.min.js`) bundles its own `events`/`buffer` polyfills,
 * which the plain entry expects from Node. Same API, so reuse the `@types/simple-peer` declarations,
 * plus the two undocumented members the mesh needs for ICE restarts.
 */
declare module 'simple-peer/simplepeer.min.js' {
  import SimplePeer = require('simple-peer');
  export = SimplePeer;
}

declare module 'simple-peer' {
  namespace SimplePeer {
    interface Instance {
      /** The underlying connection (used for `restartIce()` and state inspection). */
      readonly _pc: RTCPeerConnection;
      /** Starts an offer/answer round (the initiator offers; a non-initiator asks the initiator to). */
      negotiate(): void;
      readonly destroyed: boolean;
    }
  }
}
