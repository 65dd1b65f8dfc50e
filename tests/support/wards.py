"""A data folder with wards: the opportunities fixture, six of Manchester's wards and the sample's boundaries.

The contracts' wards are written the ways staff write them: Homecare in North Manchester gives Cheetham by
its code, "harpurhey" in lower case and "Ancoats and Beswick" for the ward the boundary file and wards.csv
call "Ancoats & Beswick"; Community connectors gives Hulme, Moss Side and a misspelling, "Mos Side"; the
third contract serves the whole area (All). Deansgate is named by no contract.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .sites import OPPORTUNITIES, ROOT, edit_csv

WARDS_CSV = (
    "ward_code,name,other_names,local_authority_code\n"
    "E05011350,Ancoats & Beswick,Ancoats and Beswick,E08000003\n"
    "E05011356,Cheetham,,E08000003\n"
    "E05011361,Deansgate,,E08000003\n"
    "E05011366,Harpurhey,,E08000003\n"
    "E05011368,Hulme,,E08000003\n"
    "E05011372,Moss Side,,E08000003\n"
)


def ward_data(folder: Path, boundaries: bool = True) -> Path:
    """The data folder described above, written to ``folder``; without the boundary file if not ``boundaries``."""
    shutil.copytree(OPPORTUNITIES, folder)
    (folder / "wards.csv").write_text(WARDS_CSV, encoding="utf-8")
    edit_csv(folder / "contracts.csv", "Cheetham; Harpurhey", "E05011356; harpurhey; Ancoats and Beswick")
    edit_csv(folder / "contracts.csv", ",Hulme,", ",Hulme; Moss Side; Mos Side,")
    if boundaries:  # the repository's copy of the sample's boundaries (data/wards-SOURCE.txt says where from)
        shutil.copy(ROOT / "data" / "wards.geojson", folder / "wards.geojson")
        shutil.copy(ROOT / "data" / "wards-attribution.txt", folder / "wards-attribution.txt")
    return folder
