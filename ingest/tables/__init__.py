"""Table understanding on cells: tables given as grids of cells (from the HTML DOM, PDF word
positions or aligned text) -> smelter rows, their locators and the quarantine."""
