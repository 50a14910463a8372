"""Pictures and exports of chains: the terminal tree, the SVG/PNG timeline, the interactive HTML
page, DOT, Mermaid and GraphML; and the chart of the yearly status shares."""
