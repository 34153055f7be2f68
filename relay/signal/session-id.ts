/**
 * The shape of a session id (made by the client once per page load). A module of its own so that
 * relay/sfu/transport/protocol.ts can import it from signal/protocol.ts without an evaluation cycle:
 * signal/protocol.ts re-exports it before it imports the relay-mode schemas.
 */
export const SESSION_ID = /^[A-Za-z0-9_-]{8,64}$/;
