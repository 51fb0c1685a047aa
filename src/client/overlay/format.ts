import { OverlaySnapshot } from "../../shared/overlay";

/** One line of the panel: the TextLabel's name and its text. */
export type OverlayRow = readonly [name: string, text: string];

/** The rows' names, in display order. */
export const OVERLAY_ROWS = [
	"Title",
	"Verify",
	"Session",
	"Heartbeat",
	"LastResult",
	"Notices",
	"ServerTitle",
	"Sessions",
	"Requests",
	"Connection",
	"Totals",
] as const;

const STATUS_ORDER = ["NONE", "VERIFYING", "ACTIVE", "ENDING", "HANDED_OFF", "ENDED", "REJECTED", "REPLACED", "LOST"];

function sessionsText(sessions: Record<string, number>): string {
	const parts = new Array<string>();
	for (const status of STATUS_ORDER) {
		const count = sessions[status];
		if (count !== undefined && count > 0) parts.push(`${status} ${count}`);
	}
	return parts.isEmpty() ? "none" : parts.join(" · ");
}

function verifyText(snapshot: OverlaySnapshot): string {
	const player = snapshot.player;
	if (player.verifyResult === undefined) return player.status === "VERIFYING" ? "verifying…" : "—";
	if (player.verifyResult === "NO_OTT") return "NO_OTT (not a PlayWave launch)";
	return player.verifyDetail !== undefined ? `${player.verifyResult} ${player.verifyDetail}` : player.verifyResult;
}

/** What the panel says for a snapshot, row by row. Pure: the panel and its specs share it. */
export function formatOverlay(snapshot: OverlaySnapshot, toggleHint?: string): Array<OverlayRow> {
	const { player, server } = snapshot;
	let session = `Session: ${player.status} · PC-cafe: ${player.isPcCafe ? "yes" : "no"}`;
	if (player.chargeExhausted) session += " · G-coin exhausted: the session ends after the grace";
	const connection =
		server.condition === "healthy"
			? `healthy for ${server.conditionForSec} s`
			: `${server.condition.upper()} (${server.cause ?? "?"}) for ${server.conditionForSec} s`;
	return [
		["Title", `PlayWave${toggleHint !== undefined ? ` (${toggleHint} hides)` : ""}`],
		["Verify", `Verify: ${verifyText(snapshot)}`],
		["Session", session],
		[
			"Heartbeat",
			`Next heartbeat: ${player.nextHeartbeatInSec !== undefined ? `${player.nextHeartbeatInSec} s` : "—"}`,
		],
		["LastResult", `Last result: ${player.lastResult ?? "—"}`],
		["Notices", `Notices: ${player.notices.isEmpty() ? "none" : player.notices.join(", ")}`],
		["ServerTitle", "Server"],
		["Sessions", `Sessions: ${sessionsText(server.sessions)}`],
		[
			"Requests",
			`Requests/min: ${server.sentLastMinute} sent, ${server.refusedLastMinute} refused · share ${server.share} · engine ${server.engineLimit} · queued ${server.queued} · in flight ${server.inFlight}`,
		],
		[
			"Connection",
			`Connection: ${connection}${server.lastFailure !== undefined ? ` · last failure ${server.lastFailure}` : ""}`,
		],
		[
			"Totals",
			`Since start: verified ${server.verified} · rejected ${server.rejected} · charge exhausted ${server.chargeExhausted} · lost ${server.lost} · replaced ${server.replaced} · ended ${server.ended} · handed over ${server.handedOver} · resumed ${server.resumed}`,
		],
	];
}
