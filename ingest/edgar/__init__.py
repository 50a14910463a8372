"""EDGAR: downloading Form SD exhibits under the SEC's fair-access rules (``smelterkg fetch``)."""
