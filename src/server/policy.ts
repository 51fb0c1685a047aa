import { LostCode, RejectReason } from "../session/SessionState";
import { NoticeKind } from "../shared/messages";
import { PlaywaveActions, PlaywaveTexts } from "./config/PlaywaveConfig";

/** What the facade does for the player when a session reports an outcome, each step behind its action flag. */
export interface Reaction {
	/** Tell the client its PC-cafe benefits are off (always, not behind a flag). */
	readonly statusOff?: true;
	/** Kick with a text, when the action is on. */
	readonly kick?: { readonly action: keyof PlaywaveActions; readonly text: keyof PlaywaveTexts };
	/** Send the client a notice with a text, when the action is on. */
	readonly notify?: {
		readonly action: keyof PlaywaveActions;
		readonly notice: NoticeKind;
		readonly text: keyof PlaywaveTexts;
	};
}

/** The outcomes the facade reacts to: why a verify found no session, and what became of a live one. */
export type PolicyOutcome =
	| RejectReason
	| LostCode
	| "CHARGE_EXHAUSTED"
	| "SESSION_REPLACED"
	/** The TTL ran out while PlayWave refused our key or requests (a configuration problem, warned about). */
	| "TTL_EXPIRED_WHILE_REFUSED";

function kick(action: keyof PlaywaveActions, text: keyof PlaywaveTexts): Reaction["kick"] {
	return { action, text };
}

function notify(action: keyof PlaywaveActions, notice: NoticeKind, text: keyof PlaywaveTexts): Reaction["notify"] {
	return { action, notice, text };
}

const lostByServer: Reaction = { statusOff: true, kick: kick("kickOnSessionLost", "kickSessionLost") };

/**
 * The default actions, as one table: outcome → reaction. An outcome not listed gets none (a normal
 * player's `NO_OTT`, a verify that could not complete, a resume that found no session).
 */
export const ACTION_POLICY: { readonly [outcome in PolicyOutcome]?: Reaction } = {
	// A duplicate connection; never after our own lost attempt (that is VERIFY_OUTCOME_UNKNOWN).
	OTT_ALREADY_USED: { kick: kick("kickOnDuplicate", "kickDuplicate") },
	GAME_MISMATCH: { kick: kick("kickOnGameMismatch", "kickGameMismatch") },
	NOT_CHARGEABLE: { notify: notify("notifyNotChargeable", "NOT_CHARGEABLE", "noticeNotChargeable") },
	OTT_EXPIRED: { notify: notify("notifyOttExpired", "OTT_EXPIRED", "noticeOttExpired") },
	CHARGE_EXHAUSTED: { notify: notify("notifyChargeExhausted", "CHARGE_EXHAUSTED", "noticeChargeExhausted") },
	// Benefits go; the session is not ended (the new one on the same PC carries on).
	SESSION_REPLACED: { statusOff: true, notify: notify("notifyReplaced", "SESSION_REPLACED", "noticeReplaced") },
	SESSION_NOT_FOUND: lostByServer,
	SESSION_ENDED: lostByServer,
	SESSION_ENDING: lostByServer,
	// PlayWave was unreachable until the TTL: not the player's doing, so a notice and no kick.
	TTL_EXPIRED: { statusOff: true, notify: notify("notifySessionLost", "SESSION_LOST", "noticeSessionLost") },
	// Ours to fix, not "PlayWave could not be reached": benefits go, players are not told a wrong reason.
	TTL_EXPIRED_WHILE_REFUSED: { statusOff: true },
};
