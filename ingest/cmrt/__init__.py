"""RMI Conflict Minerals Reporting Template (CMRT) workbooks: the Smelter Look-up as reference
facilities, the Declaration, and a filled template's Smelter List as mentions.

Any 6.x release (and older ones of the same shape), any UI language: sheets and columns are found
by what they hold (``sheets``, ``layout``), never by their translated headers. Read with openpyxl in
read-only mode with the cached values (``workbook``). Personal data is never read (``models``).
See docs/cmrt.md.
"""

from smelterkg.ingest.cmrt.models import Declaration, ReferenceFacility, ReferenceList, Skipped, SmelterList, SupplierSmelterRow
from smelterkg.ingest.cmrt.read import CMRT, read_cmrt, read_declaration, read_lookup, read_smelter_list
from smelterkg.ingest.cmrt.reader import CMRTReader

__all__ = [
    "CMRT", "CMRTReader", "Declaration", "ReferenceFacility", "ReferenceList", "Skipped", "SmelterList",
    "SupplierSmelterRow", "read_cmrt", "read_declaration", "read_lookup", "read_smelter_list",
]  # fmt: skip
