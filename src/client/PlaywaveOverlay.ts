import { OVERLAY_REMOTE_NAME, OVERLAY_SUBSCRIBE, OverlaySnapshot } from "../shared/overlay";
import { OverlayPanel } from "./overlay/OverlayPanel";

/** How `PlaywaveOverlay.start` sets the panel up. */
export interface OverlayOptions {
	/** The key that shows and hides the panel (default F8); `false` for none (call `toggle()` yourself). */
	toggleKey?: Enum.KeyCode | false;
	/** Whether the panel shows when the first snapshot arrives (default true). */
	visible?: boolean;
	/** How long to wait for the server's overlay RemoteEvent (default 30 s). */
	timeoutSec?: number;
}

/** The slice of the overlay's RemoteEvent the client uses (fakes in specs). */
export interface OverlayChannel {
	readonly onSnapshot: (callback: (snapshot: unknown) => void) => void;
	readonly subscribe: () => void;
}

function isSnapshot(value: unknown): value is OverlaySnapshot {
	if (!typeIs(value, "table")) return false;
	const snapshot = value as Partial<OverlaySnapshot>;
	return snapshot.type === "overlay" && typeIs(snapshot.player, "table") && typeIs(snapshot.server, "table");
}

/**
 * The Studio overlay, client side: asks the server for snapshots and shows them in a small panel of
 * engine GUI instances (`PlayerGui.PlaywaveOverlay`). The panel appears with the first snapshot, so a
 * player the server refuses (a live server, not listed in `config.overlay.liveUserIds`) sees nothing.
 *
 * ```ts
 * // StarterPlayerScripts (LocalScript), with `overlay: true` in the server's Playwave config
 * PlaywaveOverlay.start(); // F8 shows and hides it
 * ```
 */
export class PlaywaveOverlay {
	private panel?: OverlayPanel;
	private visible: boolean;

	/** @internal Use `PlaywaveOverlay.start()`; specs pass a fake channel. */
	constructor(
		channel: OverlayChannel,
		private readonly parent: () => Instance,
		private readonly toggleHint?: string,
		visible = true,
	) {
		this.visible = visible;
		channel.onSnapshot((snapshot) => this.receive(snapshot));
		channel.subscribe();
	}

	/** Connects to the server's overlay RemoteEvent and the toggle key. Call once from a LocalScript. */
	static start(options: OverlayOptions = {}): PlaywaveOverlay {
		const replicated = game.GetService("ReplicatedStorage");
		const remote = replicated.WaitForChild(OVERLAY_REMOTE_NAME, options.timeoutSec ?? 30);
		if (!remote || !remote.IsA("RemoteEvent")) {
			error(
				`[Playwave] no RemoteEvent "${OVERLAY_REMOTE_NAME}" in ReplicatedStorage: is config.overlay on in the server's Playwave.start?`,
			);
		}
		const player = game.GetService("Players").LocalPlayer;
		const key = options.toggleKey === undefined ? Enum.KeyCode.F8 : options.toggleKey;
		const overlay = new PlaywaveOverlay(
			{
				onSnapshot: (callback) => remote.OnClientEvent.Connect(callback),
				subscribe: () => remote.FireServer(OVERLAY_SUBSCRIBE),
			},
			() => player.WaitForChild("PlayerGui"),
			key !== false ? key.Name : undefined,
			options.visible ?? true,
		);
		if (key !== false) {
			game.GetService("UserInputService").InputBegan.Connect((input, processed) => {
				if (!processed && input.KeyCode === key) overlay.toggle();
			});
		}
		return overlay;
	}

	/** Shows or hides the panel. */
	toggle() {
		this.visible = !this.visible;
		this.panel?.setVisible(this.visible);
	}

	private receive(value: unknown) {
		if (!isSnapshot(value)) return;
		if (!this.panel) {
			this.panel = new OverlayPanel(this.parent(), this.toggleHint);
			this.panel.setVisible(this.visible);
		}
		this.panel.render(value);
	}
}
