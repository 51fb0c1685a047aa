import { OverlaySnapshot } from "../../shared/overlay";
import { formatOverlay, OVERLAY_ROWS } from "./format";

/** The panel's ScreenGui name. */
export const OVERLAY_GUI_NAME = "PlaywaveOverlay";

const ROW_HEIGHT = 18;
const WIDTH = 420;

/**
 * The overlay panel: a ScreenGui with a Frame of one TextLabel per row (named as in `OVERLAY_ROWS`),
 * built from engine GUI instances under `parent` (the player's PlayerGui). `render` updates the texts;
 * `setVisible`/`toggle` show and hide it.
 */
export class OverlayPanel {
	readonly gui: ScreenGui;
	private readonly labels = new Map<string, TextLabel>();

	constructor(
		parent: Instance,
		private readonly toggleHint?: string,
	) {
		const gui = new Instance("ScreenGui");
		gui.Name = OVERLAY_GUI_NAME;
		gui.ResetOnSpawn = false;
		gui.DisplayOrder = 1000;
		const frame = new Instance("Frame");
		frame.Name = "Panel";
		frame.AnchorPoint = new Vector2(1, 0);
		frame.Position = new UDim2(1, -8, 0, 8);
		frame.Size = new UDim2(0, WIDTH, 0, ROW_HEIGHT * OVERLAY_ROWS.size() + 12);
		frame.BackgroundColor3 = Color3.fromRGB(20, 22, 28);
		frame.BackgroundTransparency = 0.15;
		frame.BorderSizePixel = 0;
		frame.Parent = gui;
		const padding = new Instance("UIPadding");
		padding.PaddingLeft = new UDim(0, 6);
		padding.PaddingTop = new UDim(0, 6);
		padding.Parent = frame;
		const layout = new Instance("UIListLayout");
		layout.SortOrder = Enum.SortOrder.LayoutOrder;
		layout.Parent = frame;
		OVERLAY_ROWS.forEach((name, index) => {
			const label = new Instance("TextLabel");
			label.Name = name;
			label.LayoutOrder = index;
			label.Size = new UDim2(1, -6, 0, ROW_HEIGHT);
			label.BackgroundTransparency = 1;
			label.Font = name === "Title" || name === "ServerTitle" ? Enum.Font.SourceSansBold : Enum.Font.Code;
			label.TextSize = 14;
			label.TextColor3 = Color3.fromRGB(230, 232, 240);
			label.TextXAlignment = Enum.TextXAlignment.Left;
			label.TextTruncate = Enum.TextTruncate.AtEnd;
			label.Text = "";
			label.Parent = frame;
			this.labels.set(name, label);
		});
		gui.Parent = parent;
		this.gui = gui;
	}

	/** Shows a snapshot. */
	render(snapshot: OverlaySnapshot) {
		for (const [name, text] of formatOverlay(snapshot, this.toggleHint)) {
			const label = this.labels.get(name);
			if (label) label.Text = text;
		}
	}

	/** The text of one row (for tests and tools). */
	text(name: string): string | undefined {
		return this.labels.get(name)?.Text;
	}

	setVisible(visible: boolean) {
		this.gui.Enabled = visible;
	}

	toggle() {
		this.gui.Enabled = !this.gui.Enabled;
	}

	destroy() {
		this.gui.Destroy();
	}
}
