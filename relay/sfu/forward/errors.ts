/**
 * The forwarding core's one error class. The packet path never throws (it counts drops instead);
 * this is only for misuse at construction time, such as a cache capacity that is not a power of two.
 */
export class ForwardConfigError extends Error {
  override name = 'ForwardConfigError';
}
