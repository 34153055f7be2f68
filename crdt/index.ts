/** The room document: Yjs schema and pure helpers shared by the browser client and the relay. */
export {
  ROOM_KEYS,
  MAX_CHAT_TEXT,
  MAX_NAME,
  MAX_ID,
  MAX_COLOR,
  REACTION_EMOJIS,
  chatArray,
  handsArray,
  reactionsArray,
  isRecord,
  isChatMessage,
  isRaisedHand,
  isReaction,
  isReactionEmoji,
  isAwarenessUser,
} from './schema.ts';
export type { Participant, ChatMessage, RaisedHand, Reaction, ReactionEmoji, AwarenessUser } from './schema.ts';
export { newId } from './ids.ts';
export { wellFormed, clampName } from './text.ts';
export { sendChat, chatMessages, countUnread } from './chat.ts';
export { raiseHand, lowerHand, handQueue, isHandRaised } from './hands.ts';
export {
  REACTION_WINDOW_MS,
  REACTION_FUTURE_SKEW_MS,
  REACTION_MAX_AGE_MS,
  sendReaction,
  reactionList,
  freshReactions,
  pruneReactions,
  observeNewReactions,
} from './reactions.ts';
