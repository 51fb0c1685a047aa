/** The notices the server sends a player's client, as `PlaywaveNotices.notice` reports them. */
export type NoticeKind =
	/** G-coin ran out: the session ends after a 2-minute grace. */
	| "CHARGE_EXHAUSTED"
	/** Not enough G-coin to start: recharge in the launcher. */
	| "NOT_CHARGEABLE"
	/** The launch token expired: relaunch from the PlayWave launcher. */
	| "OTT_EXPIRED"
	/** The PlayWave session could not be kept (the API was unreachable); PC-cafe benefits are off. */
	| "SESSION_LOST"
	/** Another PlayWave session started on this PC; PC-cafe benefits are off. */
	| "SESSION_REPLACED";

/** A message from the server to a client: the PC-cafe status, or a notice. */
export type ServerMessage =
	{ type: "status"; isPcCafe: boolean } | { type: "notice"; notice: NoticeKind; text: string };

/** What a client sends: it is ready to receive notices. */
export const READY = "ready";

/** The RemoteEvent the server creates in ReplicatedStorage. */
export const DEFAULT_REMOTE_NAME = "PlaywaveNotices";
