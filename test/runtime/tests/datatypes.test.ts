// Datatypes and GUI classes (pages: the Vector2, Vector3, CFrame, Color3, UDim, UDim2 data type
// pages; the GUI class pages; Enum, for GetEnums).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { basicServer } from "./helpers";

describe("datatypes (Vector2, Vector3, CFrame, Color3, UDim, UDim2)", () => {
	it("builds vectors with their members, operators and tostring forms", async () => {
		const { server } = await basicServer();
		const results = await server.eval(`
			local a = Vector3.new(1, 2, 3)
			local b = Vector3.new(4, 5, 6)
			local v2 = Vector2.new(3, 4)
			return tostring(a + b), tostring(a * 2), tostring(b - a), tostring(-a), a:Dot(b), tostring(a:Cross(b)),
				v2.Magnitude, tostring(v2.Unit), typeof(a), typeof(v2), a == Vector3.new(1, 2, 3), tostring(Vector3.zero),
				tostring(a:Lerp(b, 0.5)), Vector3.new().X`);
		assert.deepEqual(results, [
			"5, 7, 9",
			"2, 4, 6",
			"3, 3, 3",
			"-1, -2, -3",
			32,
			"-3, 6, -3",
			5,
			"0.6, 0.8",
			"Vector3",
			"Vector2",
			true,
			"0, 0, 0",
			"2.5, 3.5, 4.5",
			0,
		]);
		await assert.rejects(server.eval(`local v = Vector3.new() v.X = 1`), /X cannot be assigned to/);
		await assert.rejects(server.eval(`return Vector3.new().W`), /W is not a valid member of Vector3/);
	});

	it("composes CFrames: translation, rotation, inverse, object and world space", async () => {
		const { server } = await basicServer();
		const results = await server.eval(`
			local c = CFrame.new(1, 2, 3) * CFrame.Angles(0, math.rad(90), 0)
			local p = c * Vector3.new(0, 0, -1) -- one stud forward
			local back = c:Inverse() * c
			local look = CFrame.lookAt(Vector3.zero, Vector3.new(0, 0, -10)).LookVector
			local rx, ry, rz = CFrame.Angles(0.1, 0.2, 0.3):ToEulerAnglesXYZ()
			local function r(n) return math.round(n * 1000) / 1000 end
			return r(p.X), r(p.Y), r(p.Z), back:FuzzyEq(CFrame.identity), r(look.Z), r(rx), r(ry), r(rz),
				tostring(CFrame.new(1, 2, 3)), tostring((CFrame.new() + Vector3.new(0, 5, 0)).Position), typeof(c)`);
		assert.deepEqual(results, [
			0,
			2,
			3,
			true,
			-1,
			0.1,
			0.2,
			0.3,
			"1, 2, 3, 1, 0, 0, 0, 1, 0, 0, 0, 1",
			"0, 5, 0",
			"CFrame",
		]);
	});

	it("makes colours from RGB, hex and HSV, and UDim/UDim2 values", async () => {
		const { server } = await basicServer();
		const results = await server.eval(`
			local c = Color3.fromRGB(255, 128, 0)
			local h, s, v = Color3.fromHex("#00FF00"):ToHSV()
			local u = UDim2.new(0.5, 10, 1, -5)
			return c:ToHex(), Color3.fromHex("f80"):ToHex(), math.round(h * 360), s, v, Color3.fromHSV(0, 1, 1):ToHex(),
				tostring(u), u.X.Scale, u.Y.Offset, tostring(UDim2.fromScale(1, 1)), tostring(UDim2.fromOffset(4, 8)),
				tostring(UDim.new(0, 3) + UDim.new(0.5, 1)), u == UDim2.new(UDim.new(0.5, 10), UDim.new(1, -5)),
				typeof(c), typeof(u), tostring(Color3.new(1, 0, 0))`);
		assert.deepEqual(results, [
			"FF8000",
			"FF8800",
			120,
			1,
			1,
			"FF0000",
			"{0.5, 10}, {1, -5}",
			0.5,
			-5,
			"{1, 0}, {1, 0}",
			"{0, 4}, {0, 8}",
			"0.5, 4",
			true,
			"Color3",
			"UDim2",
			"1, 0, 0",
		]);
		await assert.rejects(server.eval(`Color3.fromHex("nope")`), /Unable to convert characters to hex value/);
	});
});

describe("GUI instances and Enum:GetEnums()", () => {
	it("creates GUI objects with typed properties, defaults and enum coercion", async () => {
		const { server } = await basicServer();
		const results = await server.eval(`
			local gui = Instance.new("ScreenGui")
			gui.ResetOnSpawn = false
			local frame = Instance.new("Frame", gui)
			frame.Size = UDim2.fromScale(1, 0.5)
			frame.BackgroundColor3 = Color3.fromRGB(10, 20, 30)
			local list = Instance.new("UIListLayout", frame)
			list.SortOrder = "Name"
			list.Padding = UDim.new(0, 4)
			Instance.new("UIPadding", frame).PaddingTop = UDim.new(0, 2)
			Instance.new("UICorner", frame)
			local label = Instance.new("TextLabel", frame)
			label.Text = 42
			label.TextXAlignment = Enum.TextXAlignment.Left
			local button = Instance.new("TextButton", frame)
			local changed = 0
			label:GetPropertyChangedSignal("Text"):Connect(function() changed += 1 end)
			label.Text = "hello"
			task.wait() -- under deferred events the handler runs at the next resumption point
			return tostring(frame.Size), frame.BackgroundColor3:ToHex(), list.SortOrder == Enum.SortOrder.Name,
				label.Text, label.ContentText, tostring(label.TextXAlignment), button.Text, frame.Visible,
				frame:FindFirstChildOfClass("UICorner").CornerRadius.Offset, changed, gui.ZIndexBehavior.Name,
				frame:IsA("GuiObject"), button:IsA("GuiButton"), tostring(frame.AbsoluteSize)`);
		assert.deepEqual(results, [
			"{1, 0}, {0.5, 0}",
			"0A141E",
			true,
			"hello",
			"hello",
			"Enum.TextXAlignment.Left",
			"Button",
			true,
			8,
			1,
			"Sibling",
			true,
			true,
			"0, 0",
		]);
		await assert.rejects(
			server.eval(`Instance.new("Frame").Size = 5`),
			/Unable to assign property Size\. UDim2 expected, got number/,
		);
		await assert.rejects(
			server.eval(`Instance.new("UIListLayout").SortOrder = Enum.FillDirection.Vertical`),
			/Unable to assign property SortOrder\. Expected Enum.SortOrder, got Enum.FillDirection.Vertical/,
		);
		await assert.rejects(server.eval(`Instance.new("Frame").AbsoluteSize = Vector2.one`), /read only/);
	});

	it("lists every enum with Enum:GetEnums()", async () => {
		const { server } = await basicServer();
		const [count, hasFont, hasSort, items] = await server.eval(`
			local names = {}
			for _, e in Enum:GetEnums() do names[tostring(e)] = true end
			local n = 0 for _ in names do n += 1 end
			return n, names.Font == true, names.SortOrder == true, #Enum.SortOrder:GetEnumItems()`);
		assert.ok((count as number) > 30, `only ${count} enums`);
		assert.deepEqual([hasFont, hasSort, items], [true, true, 3]);
	});
});
