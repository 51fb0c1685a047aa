import {
	AnalyticsService,
	HttpService,
	MemoryStoreService,
	Players,
	ReplicatedStorage,
	RunService,
	TeleportService,
} from "@rbxts/services";
import { HANDOVER_MAP } from "../handover/handover";
import { HandoverStore, StoreResult } from "../ports/HandoverStore";
import { TaskClock } from "../clock/TaskClock";
import { READY, ServerMessage } from "../shared/messages";
import { ServerPorts } from "../ports/ports";
import { HostPort } from "../ports/ports";
import { OVERLAY_REMOTE_NAME, OVERLAY_SUBSCRIBE } from "../shared/overlay";
import { OverlayPort } from "../ports/ports";

const PREFIX = "[Playwave]";

function disconnecter(connection: RBXScriptConnection) {
	return () => connection.Disconnect();
}

/** The RemoteEvent of that name in ReplicatedStorage, created when there is none. */
function replicatedRemote(name: string): RemoteEvent {
	const existing = ReplicatedStorage.FindFirstChild(name);
	if (existing && existing.IsA("RemoteEvent")) return existing;
	const remote = new Instance("RemoteEvent");
	remote.Name = name;
	remote.Parent = ReplicatedStorage;
	return remote;
}

/** The engine-backed ports: the only place the server facade touches Roblox services. */
export function enginePorts(remoteName: string): ServerPorts {
	const noticeRemote = replicatedRemote(remoteName);
	return {
		players: {
			getPlayers: () => Players.GetPlayers(),
			onPlayerAdded: (callback) => disconnecter(Players.PlayerAdded.Connect(callback)),
			onPlayerRemoving: (callback) => disconnecter(Players.PlayerRemoving.Connect(callback)),
			joinData: (player) => player.GetJoinData() as { LaunchData?: unknown; TeleportData?: unknown },
			kick: (player, message) => player.Kick(message),
		},
		shutdown: { bindToClose: (callback) => game.BindToClose(callback) },
		teleports: {
			onTeleportInitFailed: (callback) =>
				disconnecter(TeleportService.TeleportInitFailed.Connect((player) => callback(player))),
			getTeleportData: (options) => options.GetTeleportData(),
			setTeleportData: (options, data) => options.SetTeleportData(data),
		},
		notices: {
			send: (player, message: ServerMessage) => noticeRemote.FireClient(player, message),
			onReady: (callback) =>
				disconnecter(
					noticeRemote.OnServerEvent.Connect((player, message) => {
						if (message === READY) callback(player);
					}),
				),
		},
		log: {
			info: (message) => print(`${PREFIX} ${message}`),
			warn: (message) => warn(`${PREFIX} ${message}`),
		},
		clock: new TaskClock(),
		handover: memoryStoreHandover(HANDOVER_MAP),
		wallClock,
		httpEnabled: () => HttpService.HttpEnabled,
		analytics: {
			logCustomEvent: (player, eventName, value, customFields) =>
				AnalyticsService.LogCustomEvent(player, eventName, value, customFields),
			playerCount: () => Players.GetPlayers().size(),
		},
	};
}

/** The Studio overlay's RemoteEvent in ReplicatedStorage. */
export function engineOverlayPort(): OverlayPort {
	const overlayRemote = replicatedRemote(OVERLAY_REMOTE_NAME);
	return {
		send: (player, snapshot) => overlayRemote.FireClient(player, snapshot),
		onSubscribe: (callback) =>
			disconnecter(
				overlayRemote.OnServerEvent.Connect((player, message) => {
					if (message === OVERLAY_SUBSCRIBE) callback(player);
				}),
			),
	};
}

/** Unix time in seconds: DateTime where the engine has it (Roblox), else whole seconds (an emulated engine). */
function wallClock() {
	const [ok, millis] = pcall(() => DateTime.now().UnixTimestampMillis);
	return ok ? (millis as number) / 1000 : os.time();
}

function attempt<T>(run: () => T): StoreResult<T> {
	const [ok, value] = pcall(run);
	return ok ? { ok: true, value: value as T } : { ok: false, problem: tostring(value) };
}

/**
 * The hand-over store on a `MemoryStoreService` hash map ("Memory store hash map": keys up to 128
 * characters, values up to 32 KB, every item with an expiration). The map is looked up on first use.
 * Each call yields; an error (outage, quota, throttling) comes back as a failed result.
 */
export function memoryStoreHandover(name: string): HandoverStore {
	let map: MemoryStoreHashMap | undefined;
	const hashMap = () => {
		if (map === undefined) map = MemoryStoreService.GetHashMap(name);
		return map;
	};
	return {
		set: (key, value, expirationSec) =>
			attempt(() => {
				hashMap().SetAsync(key, value, expirationSec);
				return undefined;
			}),
		get: (key) => attempt(() => hashMap().GetAsync(key)),
		update: (key, transform, expirationSec) =>
			attempt(() => hashMap().UpdateAsync(key, (current: unknown) => transform(current), expirationSec)),
	};
}

/** The engine as `Playwave.start` sees it before wiring anything. */
export function engineHost(): HostPort {
	return {
		isServer: () => RunService.IsServer(),
		isStudio: () => RunService.IsStudio(),
		getSecret: (name) => HttpService.GetSecret(name),
		wallClock,
		encodeJson: (value) => HttpService.JSONEncode(value),
		newUuid: () => HttpService.GenerateGUID(false),
		serverPorts: (remoteName) => enginePorts(remoteName),
		overlayPort: () => engineOverlayPort(),
	};
}
