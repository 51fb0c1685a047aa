// UserInputService (keyboard): a client's key presses reach InputBegan / InputEnded as InputObjects;
// keys typed into a focused TextBox come with gameProcessedEvent = true; a server has no input.
// Pages: UserInputService (InputBegan, InputEnded, IsKeyDown, GetFocusedTextBox, TextBoxFocused),
// InputObject, TextBox (CaptureFocus, ReleaseFocus, IsFocused, Focused, FocusLost), Enum.KeyCode.
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { newWorld } from "./helpers";

const CLIENTS_PROJECT = join(__dirname, "fixtures", "clients", "clients.project.json");

async function alice() {
	const world = await newWorld();
	const server = await world.createServer({ project: CLIENTS_PROJECT, secrets: { key: "sk_live" } });
	await server.start();
	const player = server.players.join({ userId: 1, name: "alice", client: true });
	await player.joined;
	await world.advance(1);
	return { world, server, client: player.client! };
}

describe("UserInputService (keyboard)", () => {
	it("fires InputBegan then InputEnded with a Keyboard InputObject; IsKeyDown follows the key", async () => {
		const { client } = await alice();
		const [log] = await client.eval(`
			local UIS = game:GetService("UserInputService")
			local runtime = game:GetService("HeadlessRuntime")
			local log = {}
			UIS.InputBegan:Connect(function(input, processed)
				table.insert(log, string.format("began %s %s %s %s", input.KeyCode.Name, input.UserInputType.Name,
					input.UserInputState.Name, tostring(processed)))
			end)
			UIS.InputEnded:Connect(function(input, processed)
				table.insert(log, string.format("ended %s %s %s", input.KeyCode.Name, input.UserInputState.Name,
					tostring(processed)))
			end)
			runtime:PressKey("F8")
			task.wait()
			table.insert(log, "down " .. tostring(UIS:IsKeyDown(Enum.KeyCode.F8)) .. " " .. #UIS:GetKeysPressed())
			runtime:ReleaseKey("F8")
			task.wait()
			table.insert(log, "down " .. tostring(UIS:IsKeyDown(Enum.KeyCode.F8)))
			return table.concat(log, "|")`);
		assert.equal(log, "began F8 Keyboard Begin false|down true 1|ended F8 End false|down false");
	});

	it("uses the engine's KeyCode values", async () => {
		const { client } = await alice();
		const values = await client.eval(
			`return Enum.KeyCode.F8.Value, Enum.KeyCode.A.Value, Enum.KeyCode.Escape.Value, Enum.UserInputType.Keyboard.Value`,
		);
		assert.deepEqual(values, [289, 97, 27, 8]);
	});

	it("marks keys typed into a focused TextBox as processed by the engine, and follows focus", async () => {
		const { client } = await alice();
		const [log] = await client.eval(`
			local UIS = game:GetService("UserInputService")
			local runtime = game:GetService("HeadlessRuntime")
			local gui = Instance.new("ScreenGui")
			local box = Instance.new("TextBox")
			box.Parent = gui
			gui.Parent = game:GetService("Players").LocalPlayer.PlayerGui
			local log = {}
			UIS.InputBegan:Connect(function(input, processed)
				table.insert(log, input.KeyCode.Name .. " " .. tostring(processed))
			end)
			UIS.TextBoxFocused:Connect(function(b) table.insert(log, "focused " .. tostring(b == box)) end)
			box.FocusLost:Connect(function(enter) table.insert(log, "lost " .. tostring(enter)) end)
			box:CaptureFocus()
			task.wait()
			table.insert(log, "isFocused " .. tostring(box:IsFocused()) .. " " .. tostring(UIS:GetFocusedTextBox() == box))
			runtime:PressKey("E")
			runtime:ReleaseKey("E")
			box:ReleaseFocus(true)
			task.wait()
			runtime:PressKey("E")
			task.wait()
			table.insert(log, "after " .. tostring(UIS:GetFocusedTextBox()))
			return table.concat(log, "|")`);
		assert.equal(log, "focused true|isFocused true true|E true|lost true|E false|after nil");
	});

	it("has no input on a server: keyboard disabled, and a key cannot be pressed there", async () => {
		const { server } = await alice();
		const [enabled, ok, message] = await server.eval(`
			local UIS = game:GetService("UserInputService")
			local ok, err = pcall(function() game:GetService("HeadlessRuntime"):PressKey("F8") end)
			return UIS.KeyboardEnabled, ok, tostring(err)`);
		assert.equal(enabled, false);
		assert.equal(ok, false);
		assert.match(String(message), /only a client has input/);
	});

	it("refuses a key name the runtime does not know, and a non-KeyCode for IsKeyDown", async () => {
		const { client } = await alice();
		const [pressOk, pressErr, downOk, downErr] = await client.eval(`
			local UIS = game:GetService("UserInputService")
			local ok1, e1 = pcall(function() game:GetService("HeadlessRuntime"):PressKey("Flux") end)
			local ok2, e2 = pcall(function() return UIS:IsKeyDown("F8") end)
			return ok1, tostring(e1), ok2, tostring(e2)`);
		assert.equal(pressOk, false);
		assert.match(String(pressErr), /Flux is not a KeyCode/);
		assert.equal(downOk, false);
		assert.match(String(downErr), /Unable to cast string to KeyCode/);
	});
});
