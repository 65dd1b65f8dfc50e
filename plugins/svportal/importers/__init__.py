"""Importers: what commissioners already publish in open standards, read into the data contract's CSV files.

Each importer reads a published file (OCDS from Contracts Finder or Find a Tender, 360Giving grants),
turns it into rows of the contract's tables as text, and merges them into the data folder with
:mod:`.datafiles`, keeping every column staff entered by hand. What was added, updated, unchanged or
skipped, every warning and every source field that has no home in the portal go into an
:class:`.report.ImportReport`, which is printed and written beside the data.

They sit above the loading layer (they may check the result the way a build would) and never import
Pelican or the outputs.
"""
