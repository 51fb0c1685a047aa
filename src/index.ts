/**
 * `@rbxts/playwave`: the server-side PlayWave SDK for Roblox.
 *
 * This file is the package's public API and its semver promise: what a game uses. Start with
 * {@link Playwave.start} on the server and {@link PlaywaveNotices.start} on the client. Everything
 * else in the package is internal and may change in any release (specs reach it by its own path).
 *
 * @packageDocumentation
 */

// Start the SDK and use it from a server Script.
export { Playwave } from "./server/Playwave";
export type { PlaywaveServer } from "./server/PlaywaveServer";
export type { PlaywaveConfig, PlaywaveTexts, PlaywaveActions, VerifyReason } from "./server/config/PlaywaveConfig";
export type { PlaytestConfig, PlaytestScenario } from "./playtest/scenarios";

// What the SDK is doing (getStats, connectionChanged).
export type { PlaywaveStats } from "./server/stats/PlaywaveStats";
export type { ConnectionStatus } from "./server/stats/ConnectionMonitor";

// What the events and results carry.
export type { RejectReason, LostCode, EndResult, SessionState, SessionStatus } from "./session/SessionState";
export type { ApiFailure, SessionLostCode, TokenRejectReason } from "./protocol/outcomes";

// Wire sessions by hand instead of using the facade.
export { PlaywaveConnection } from "./session/PlaywaveConnection";
export type { PlaywaveConnectionOptions } from "./session/PlaywaveConnection";
export { PlaywaveSession } from "./session/PlaywaveSession";
export type { Endpoint, PlaywaveEnvironment } from "./protocol/environments";

// The client module, from a LocalScript.
export { PlaywaveNotices } from "./client/PlaywaveNotices";
export type { NoticeOptions } from "./client/PlaywaveNotices";
export type { NoticeKind } from "./shared/messages";
export { PlaywaveOverlay } from "./client/PlaywaveOverlay";
export type { OverlayOptions } from "./client/PlaywaveOverlay";
