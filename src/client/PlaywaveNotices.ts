import { Signal } from "@rbxts/beacon";
import { t } from "@rbxts/t";
import { DEFAULT_REMOTE_NAME, NoticeKind, READY, ServerMessage } from "../shared/messages";

const messageShape = t.union(
	t.interface({ type: t.literal("status"), isPcCafe: t.boolean }),
	t.interface({ type: t.literal("notice"), notice: t.string, text: t.string }),
);

/** Options of {@link PlaywaveNotices.start}; all optional. */
export interface NoticeOptions {
	/** Show an engine notification for each notice (default true). Turn off to draw your own. */
	showNotifications?: boolean;
	/** Must match the server's `remoteName`. */
	remoteName?: string;
	/** How long to wait for the server's RemoteEvent (default 30 s). */
	timeoutSec?: number;
}

/** The slice of a RemoteEvent the client uses (fakes in specs). */
export interface NoticeChannel {
	readonly onMessage: (callback: (message: unknown) => void) => void;
	readonly sendReady: () => void;
}

/**
 * The client side: tells the server it is ready, receives PC-cafe status and notices, exposes them as
 * signals, and by default shows them as engine notifications.
 *
 * ```ts
 * // StarterPlayerScripts (LocalScript)
 * const notices = PlaywaveNotices.start({ showNotifications: false });
 * notices.notice.Connect((kind, text) => myToast(text));
 * ```
 */
export class PlaywaveNotices {
	/** The server's PC-cafe status for this player changed (it starts false). */
	readonly statusChanged = new Signal<[isPcCafe: boolean]>();
	/** A notice for this player: its kind, and the text the server's `texts` give it. */
	readonly notice = new Signal<[kind: NoticeKind, text: string]>();
	private pcCafe = false;

	/** @internal Specs pass a fake channel; games call {@link PlaywaveNotices.start}. */
	constructor(
		channel: NoticeChannel,
		private readonly show?: (text: string) => void,
	) {
		channel.onMessage((message) => this.receive(message));
		channel.sendReady();
	}

	/**
	 * Connects to the server's RemoteEvent and tells the server this client is ready for notices.
	 * Call once from a LocalScript. Errors when the RemoteEvent does not appear within `timeoutSec`
	 * (is `Playwave.start` running on the server, with the same `remoteName`?).
	 */
	static start(options: NoticeOptions = {}): PlaywaveNotices {
		const remoteName = options.remoteName ?? DEFAULT_REMOTE_NAME;
		const replicated = game.GetService("ReplicatedStorage");
		const remote = replicated.WaitForChild(remoteName, options.timeoutSec ?? 30);
		if (!remote || !remote.IsA("RemoteEvent")) {
			error(
				`[Playwave] no RemoteEvent "${remoteName}" in ReplicatedStorage: is Playwave.start running on the server?`,
			);
		}
		const channel: NoticeChannel = {
			onMessage: (callback) => remote.OnClientEvent.Connect(callback),
			sendReady: () => remote.FireServer(READY),
		};
		return new PlaywaveNotices(channel, options.showNotifications === false ? undefined : showNotification);
	}

	/** The latest PC-cafe status from the server. */
	isPcCafe() {
		return this.pcCafe;
	}

	private receive(message: unknown) {
		if (!messageShape(message)) return;
		const typed = message as ServerMessage;
		if (typed.type === "status") {
			this.pcCafe = typed.isPcCafe;
			this.statusChanged.Fire(typed.isPcCafe);
		} else {
			this.notice.Fire(typed.notice, typed.text);
			this.show?.(typed.text);
		}
	}
}

/** The engine's corner notification; SetCore can fail until the core scripts load, so it retries. */
function showNotification(text: string) {
	task.spawn(() => {
		for (let attempt = 0; attempt < 10; attempt++) {
			const [ok] = pcall(() =>
				game
					.GetService("StarterGui")
					.SetCore("SendNotification", { Title: "PlayWave", Text: text, Duration: 10 }),
			);
			if (ok) return;
			task.wait(1);
		}
	});
}
