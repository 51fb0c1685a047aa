import { Signal } from "@rbxts/beacon";
import { describeFailure, isTransient } from "../../protocol/outcomes";
import { PlaywaveConnection } from "../../session/PlaywaveConnection";
import { EndResult, LostCode, RejectReason } from "../../session/SessionState";
import { LogPort, PlayersPort } from "../../ports/ports";
import { VerifyReason } from "../config/PlaywaveConfig";
import { ResolvedConfig } from "../config/resolveConfig";
import { ACTION_POLICY, PolicyOutcome } from "../policy";
import { ClientChannel } from "./ClientChannel";
import { Diagnostics } from "./Diagnostics";
import { Entry } from "./ServerState";

/** The facade's events and what each carries. */
export interface ServerEvents {
	verified: [player: Player, isPcCafe: boolean, reason: VerifyReason, detail?: RejectReason];
	pcCafe: [player: Player];
	chargeExhausted: [player: Player];
	replaced: [player: Player];
	lost: [player: Player, code: LostCode];
	ended: [player: Player, result: EndResult];
}

/** The facade's signals, one per event. */
export type ServerSignals = { readonly [K in keyof ServerEvents]: Signal<ServerEvents[K]> };

/** The config callback that goes with each event. */
const CALLBACK_OF = {
	verified: "onVerified",
	pcCafe: "onPcCafe",
	chargeExhausted: "onChargeExhausted",
	replaced: "onReplaced",
	lost: "onLost",
	ended: "onEnded",
} as const satisfies Record<keyof ServerEvents, keyof ResolvedConfig["callbacks"]>;

function verifyReasonOf(reason: RejectReason): VerifyReason {
	switch (reason) {
		case "NO_OTT":
			return "NO_OTT";
		case "INVALID_LAUNCH_DATA":
			return "INVALID_PREFIX";
		case "REQUEST_FAILED":
		case "VERIFY_OUTCOME_UNKNOWN":
			return "REQUEST_FAILED";
		case "RESUME_REJECTED":
			return "RESUME_REJECTED";
		default:
			return "REJECTED";
	}
}

/**
 * A session's outcomes as the facade's events (each to the config's callback, then the signal) and
 * the default actions that go with them (see `ACTION_POLICY`).
 */
export class OutcomeEvents {
	constructor(
		private readonly signals: ServerSignals,
		private readonly config: ResolvedConfig,
		private readonly connection: PlaywaveConnection,
		private readonly channel: ClientChannel,
		private readonly diagnostics: Diagnostics,
		private readonly players: PlayersPort,
		private readonly log: LogPort,
	) {}

	/** Connects a new player's session: its outcomes become events and default actions. */
	wire(entry: Entry) {
		const { player, session } = entry;
		session.verified.Connect((_, isPcCafe) => {
			this.emit("verified", player, isPcCafe, "VERIFIED");
			this.afterPcCafe(entry, isPcCafe);
		});
		session.resumed.Connect(() => {
			this.emit("verified", player, session.isPcCafe(), "RESUMED");
			this.afterPcCafe(entry, session.isPcCafe());
		});
		session.rejected.Connect((reason) => {
			this.emit("verified", player, false, verifyReasonOf(reason), reason);
			const state = session.getState();
			const failure = state.status === "REJECTED" ? state.failure : undefined;
			// A refused key or request is warned by the connection, once; other configuration problems
			// (HTTP disabled, an undocumented status) once here, not once per player.
			if (failure && !isTransient(failure) && failure.kind !== "InvalidApiKey" && failure.kind !== "BadRequest") {
				this.diagnostics.warnOnce(
					failure.kind,
					`verify failed: ${describeFailure(failure, this.config.debug)}`,
				);
			}
			this.react(entry, reason);
		});
		session.chargeExhausted.Connect(() => {
			this.emit("chargeExhausted", player);
			this.react(entry, "CHARGE_EXHAUSTED");
		});
		session.replaced.Connect(() => {
			this.emit("replaced", player);
			this.react(entry, "SESSION_REPLACED");
		});
		session.lost.Connect((code) => {
			this.emit("lost", player, code);
			// Not "could not be reached" while PlayWave refuses our key or requests: that is ours to fix
			// (and was warned about).
			const refused = code === "TTL_EXPIRED" && this.connection.scheduler.trouble() === "refused";
			this.react(entry, refused ? "TTL_EXPIRED_WHILE_REFUSED" : code);
		});
		session.ended.Connect((result) => {
			if (result.kind !== "NotNeeded") this.emit("ended", player, result);
		});
		session.errored.Connect((message, failure) =>
			this.diagnostics.debug(
				`${player.Name}: ${failure !== undefined ? describeFailure(failure, true) : message}`,
			),
		);
		if (this.config.debug) {
			session.stateChanged.Connect((state, previous) =>
				this.log.info(`${player.Name}: ${previous.status} -> ${state.status}`),
			);
		}
	}

	/** The session's PC-cafe status is known (or changed): the client hears it, and `pcCafe` fires when on. */
	afterPcCafe(entry: Entry, isPcCafe: boolean) {
		this.channel.send(entry, { type: "status", isPcCafe });
		if (isPcCafe) this.emit("pcCafe", entry.player);
	}

	/**
	 * The one way an event goes out: the game's callback first (an error in it is logged and never
	 * breaks the session flow), then the signal.
	 */
	private emit<K extends keyof ServerEvents>(event: K, ...args: ServerEvents[K]) {
		const callback = this.config.callbacks[CALLBACK_OF[event]] as ((...args: ServerEvents[K]) => void) | undefined;
		if (callback !== undefined) {
			const [ok, problem] = pcall(callback, ...args);
			if (!ok) this.log.warn(`${CALLBACK_OF[event]} callback errored: ${tostring(problem)}`);
		}
		(this.signals[event] as unknown as { Fire(...args: ServerEvents[K]): void }).Fire(...args);
	}

	/** Applies the default actions for an outcome (see `ACTION_POLICY`), each unless the game turned it off. */
	private react(entry: Entry, outcome: PolicyOutcome) {
		const reaction = ACTION_POLICY[outcome];
		if (reaction === undefined) return;
		const { actions, texts } = this.config;
		if (reaction.statusOff) this.channel.send(entry, { type: "status", isPcCafe: false });
		if (reaction.kick && actions[reaction.kick.action]) this.kick(entry, texts[reaction.kick.text]);
		if (reaction.notify && actions[reaction.notify.action]) {
			this.channel.send(entry, {
				type: "notice",
				notice: reaction.notify.notice,
				text: texts[reaction.notify.text],
			});
		}
	}

	private kick(entry: Entry, message: string) {
		if (!entry.gone) this.players.kick(entry.player, message);
	}
}
