"""Helpers shared by every test folder, in one place.

- :mod:`support.sites`: the project's paths, the fixture datasets and building a whole site in-process;
- :mod:`support.server`: a folder served over http on 127.0.0.1, as a static host serves it;
- :mod:`support.chromium`: Debian's Chromium and the flags every browser test launches it with;
- :mod:`support.pagetext`: what a reader sees on a page (the golden test's text) and parsed pages.
- :mod:`support.wards`: a data folder with wards and their boundaries (the places pages).

``tests/conftest.py`` puts ``tests/`` on ``sys.path``, so ``import support`` works wherever pytest
starts, ``pytest tests/gates`` under ``make publish`` included.
"""
