import { PlaywaveOverlay } from "../../client/PlaywaveOverlay";
import { OVERLAY_GUI_NAME } from "../../client/overlay/OverlayPanel";
import { OVERLAY_ROWS } from "../../client/overlay/format";
import { OverlaySnapshot } from "../../shared/overlay";
import { asPlayer, FakeEngine, FakePlayer } from "../../testing/FakePorts";
import { fakeHost } from "../../testing/serverFixture";
import { ManualClock } from "../../testing/ManualClock";
import { PlaytestConfig } from "../../playtest/scenarios";
import { PlaywaveConfig } from "../config/PlaywaveConfig";
import { createPlaywave } from "../Playwave";
import { OverlayPort } from "../../ports/ports";

/**
 * The overlay's RemoteEvent as fakes: each player's client (a `PlaywaveOverlay` building its panel in
 * a Folder standing in for PlayerGui) gets what the server sends, in order.
 */
class FakeOverlayWire {
	private subscribe?: (player: Player) => void;
	private readonly clients = new Map<number, (snapshot: unknown) => void>();
	readonly sent = new Array<{ userId: number; snapshot: OverlaySnapshot }>();

	readonly port: OverlayPort = {
		send: (player, snapshot) => {
			this.sent.push({ userId: player.UserId, snapshot });
			this.clients.get(player.UserId)?.(snapshot);
		},
		onSubscribe: (callback) => {
			this.subscribe = callback;
			return () => (this.subscribe = undefined);
		},
	};

	/** The player's LocalScript starts the overlay. */
	startClient(player: FakePlayer) {
		const playerGui = new Instance("Folder");
		playerGui.Name = "PlayerGui";
		const overlay = new PlaywaveOverlay(
			{
				onSnapshot: (callback) => this.clients.set(player.UserId, callback),
				subscribe: () => this.subscribe?.(asPlayer(player)),
			},
			() => playerGui,
			"F8",
		);
		return { overlay, playerGui };
	}
}

function setup(config: Partial<PlaywaveConfig>, studio = true) {
	const clock = new ManualClock();
	const engine = new FakeEngine(clock);
	const wire = new FakeOverlayWire();
	const server = createPlaywave(
		config,
		fakeHost(engine, studio, () => wire.port),
	);
	server.start();
	return { clock, engine, wire, server };
}

function playtest(scenario: PlaytestConfig["scenario"]): Partial<PlaywaveConfig> {
	return { playtest: { scenario }, overlay: true };
}

/** A play-test of `scenario` with one player whose client is ready and shows the panel. */
function playing(scenario: PlaytestConfig["scenario"]) {
	const { clock, engine, wire } = setup(playtest(scenario));
	const player = engine.join(-1);
	engine.clientReady(player);
	const { playerGui } = wire.startClient(player);
	return { clock, playerGui };
}

/** The panel's texts by row, read from the instance tree. */
function panelTexts(playerGui: Instance): Record<string, string> {
	const texts: Record<string, string> = {};
	const frame = playerGui.FindFirstChild(OVERLAY_GUI_NAME)?.FindFirstChild("Panel");
	if (!frame) return texts;
	for (const child of frame.GetChildren()) if (child.IsA("TextLabel")) texts[child.Name] = child.Text;
	return texts;
}

export = () => {
	describe("Studio overlay: the panel's instance tree", () => {
		it("a ScreenGui with a Frame of one TextLabel per row, built when the first snapshot arrives", () => {
			const { clock, playerGui } = playing({ kind: "ok" });
			clock.advance(1);
			const gui = playerGui.FindFirstChild(OVERLAY_GUI_NAME) as ScreenGui;
			expect(gui.IsA("ScreenGui")).to.equal(true);
			expect(gui.Enabled).to.equal(true);
			expect(gui.ResetOnSpawn).to.equal(false);
			const frame = gui.FindFirstChild("Panel")!;
			expect(frame.IsA("Frame")).to.equal(true);
			expect(frame.FindFirstChildOfClass("UIListLayout") !== undefined).to.equal(true);
			const labels = frame.GetChildren().filter((child) => child.IsA("TextLabel")) as Array<TextLabel>;
			expect(labels.size()).to.equal(OVERLAY_ROWS.size());
			labels.sort((a, b) => a.LayoutOrder < b.LayoutOrder);
			expect(labels.map((label) => label.Name).join(",")).to.equal(OVERLAY_ROWS.join(","));
			expect(panelTexts(playerGui).Title).to.equal("PlayWave (F8 hides)");
		});

		it("toggle hides and shows it", () => {
			const { clock, engine, wire } = setup(playtest({ kind: "ok" }));
			const player = engine.join(-1);
			const { overlay, playerGui } = wire.startClient(player);
			clock.advance(1);
			const gui = playerGui.FindFirstChild(OVERLAY_GUI_NAME) as ScreenGui;
			overlay.toggle();
			expect(gui.Enabled).to.equal(false);
			overlay.toggle();
			expect(gui.Enabled).to.equal(true);
		});
	});

	describe("Studio overlay: what it displays in a play-test", () => {
		it("chargeExhausted: verified and billing, then the panel says the G-coin ran out, then the loss", () => {
			const { clock, playerGui } = playing({ kind: "chargeExhausted", afterSec: 300 });
			clock.advance(1);
			let texts = panelTexts(playerGui);
			expect(texts.Verify).to.equal("Verify: VERIFIED");
			expect(texts.Session).to.equal("Session: ACTIVE · PC-cafe: yes");
			expect(texts.LastResult).to.equal("Last result: VERIFIED");
			expect(texts.Notices).to.equal("Notices: none");
			expect(texts.Sessions).to.equal("Sessions: ACTIVE 1");
			expect(texts.Connection.sub(1, 31)).to.equal("Connection: healthy for 1 s");
			const beatIn = tonumber(texts.Heartbeat.match("^Next heartbeat: (%d+) s$")[0]);
			expect(beatIn !== undefined && beatIn > 60 && beatIn <= 120).to.equal(true);
			// Counts down between refreshes.
			clock.advance(30);
			const later = tonumber(panelTexts(playerGui).Heartbeat.match("^Next heartbeat: (%d+) s$")[0]);
			expect(later).to.equal(beatIn! - 30);

			clock.advance(150); // the heartbeat at ~120 s was OK
			expect(panelTexts(playerGui).LastResult).to.equal("Last result: OK");

			clock.advance(240); // past 300 s: the heartbeat says CHARGE_EXHAUSTED
			texts = panelTexts(playerGui);
			expect(texts.LastResult).to.equal("Last result: CHARGE_EXHAUSTED");
			expect(texts.Session).to.equal(
				"Session: ACTIVE · PC-cafe: yes · G-coin exhausted: the session ends after the grace",
			);
			expect(texts.Notices).to.equal("Notices: CHARGE_EXHAUSTED");
			expect(texts.Totals.find("charge exhausted 1", 1, true)[0] !== undefined).to.equal(true);

			clock.advance(300); // the grace is over: 410, and the SDK's kick
			texts = panelTexts(playerGui);
			expect(texts.LastResult.sub(1, 29)).to.equal("Last result: LOST SESSION_END");
			expect(texts.Session).to.equal("Session: LOST · PC-cafe: no");
			expect(texts.Heartbeat).to.equal("Next heartbeat: —");
		});

		it("rejected NOT_CHARGEABLE: the verify result with its reason, and the notice", () => {
			const { clock, playerGui } = playing({ kind: "rejected", reason: "NOT_CHARGEABLE" });
			clock.advance(1);
			const texts = panelTexts(playerGui);
			expect(texts.Verify).to.equal("Verify: REJECTED NOT_CHARGEABLE");
			expect(texts.Session).to.equal("Session: REJECTED · PC-cafe: no");
			expect(texts.Notices).to.equal("Notices: NOT_CHARGEABLE");
			expect(texts.Totals.find("rejected 1", 1, true)[0] !== undefined).to.equal(true);
		});

		it("replaced: the last result and the notice; the server's sessions show it", () => {
			const { clock, playerGui } = playing({ kind: "replaced", afterSec: 200 });
			clock.advance(400);
			const texts = panelTexts(playerGui);
			expect(texts.LastResult).to.equal("Last result: REPLACED");
			expect(texts.Notices).to.equal("Notices: SESSION_REPLACED");
			expect(texts.Sessions).to.equal("Sessions: REPLACED 1");
		});
	});

	describe("Studio overlay: who may see it", () => {
		it("on a live server it is refused unless the UserId is listed: nothing is sent, nothing is built", () => {
			const refused = setup({ apiKey: "k", baseUrl: "https://api.test/v1", overlay: true }, false);
			const player = refused.engine.join(1);
			const { playerGui } = refused.wire.startClient(player);
			refused.clock.advance(5);
			expect(refused.wire.sent.size()).to.equal(0);
			expect(playerGui.FindFirstChild(OVERLAY_GUI_NAME)).to.equal(undefined);
			expect(
				refused.engine.warnings
					.filter((line) => line.find("overlay is refused", 1, true)[0] !== undefined)
					.size(),
			).to.equal(1);

			const listed = setup({ apiKey: "k", baseUrl: "https://api.test/v1", overlay: { liveUserIds: [2] } }, false);
			const stranger = listed.engine.join(1);
			const developer = listed.engine.join(2);
			const strangerGui = listed.wire.startClient(stranger).playerGui;
			const developerGui = listed.wire.startClient(developer).playerGui;
			listed.clock.advance(5);
			expect(strangerGui.FindFirstChild(OVERLAY_GUI_NAME)).to.equal(undefined);
			expect(listed.wire.sent.filter((entry) => entry.userId === 1).size()).to.equal(0);
			expect(developerGui.FindFirstChild(OVERLAY_GUI_NAME) !== undefined).to.equal(true);
			expect(panelTexts(developerGui).Verify).to.equal("Verify: NO_OTT (not a PlayWave launch)");
		});

		it("off unless configured: no overlay remote is asked for", () => {
			let asked = false;
			const clock = new ManualClock();
			const engine = new FakeEngine(clock);
			createPlaywave(
				{ playtest: { scenario: { kind: "ok" } } },
				fakeHost(engine, true, () => {
					asked = true;
					return new FakeOverlayWire().port;
				}),
			);
			expect(asked).to.equal(false);
		});

		it("a bad overlay config is named", () => {
			const clock = new ManualClock();
			const engine = new FakeEngine(clock);
			const [ok, problem] = pcall(() =>
				createPlaywave(
					{ playtest: { scenario: { kind: "ok" } }, overlay: { liveUserIds: ["me"] } as never },
					fakeHost(engine, true),
				),
			);
			expect(ok).to.equal(false);
			expect(tostring(problem).find("config.overlay", 1, true)[0] !== undefined).to.equal(true);
		});
	});
};
