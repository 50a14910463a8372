"""Facility lists published by the Responsible Minerals Initiative (RMI, formerly CFSI): the
Conformant, Active and (CFSI) Compliant smelter lists, as CSV or XLSX. Columns are found by their
header words, the header row by its content; each row is a status observation by RMI as of the
list's date. Not wired into the build here. See docs/cmrt.md, "RMI facility lists".
"""

from smelterkg.ingest.reference.models import FacilityList, FacilityListRow, Skipped
from smelterkg.ingest.reference.read import read_facility_list

__all__ = ["FacilityList", "FacilityListRow", "Skipped", "read_facility_list"]
