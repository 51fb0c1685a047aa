// Receives the PC-cafe status and PlayWave notices (shown as engine notifications by default).
import { PlaywaveNotices } from "@rbxts/playwave";

const notices = PlaywaveNotices.start();
notices.statusChanged.Connect((isPcCafe) => print(`[example] PC-cafe perks ${isPcCafe ? "on" : "off"}`));
