"""The social value transparency portal: a Pelican plugin that turns published CSVs into pages.

Imports run one way, from the bottom layer up: a module imports only modules of its own layer or
of layers below it, and the model (pandas) never imports Pelican. A subpackage (importers/) is one module
here: its files import each other and the layers below. tests/unit/test_layers.py reads
this list and checks every module's imports against it.

Layers (bottom first):
    contract: schema, parse, problems, identity, settings, formatting, lifetime, orgid, units, threesixtygiving
    loading: load, wards, boundaries, previous
    importers: importers
    model: records, model, opportunities, data_quality, areas, performance, grants, changes, payees, spend
    outputs: charts, exports, feeds, markup, search, sitemap, dictionary, tables, maps, ocds_export, grants_export
    page model: pages, ratings, search_records, area_pages, grant_pages, changelog, spend_pages
    pelican: generators, editorial
    plugin: __init__, __main__, build, gates, output_folder
"""


def register():
    """Connect the portal to Pelican's signals.

    Pelican and the generators are imported here, when Pelican loads the plugin, not with the package:
    the importers (``python -m svportal.importers``) run without them, in a second instead of five.
    """
    from pelican import signals

    from .editorial import refuse_generated_article_addresses, refuse_generated_page_addresses, sanitise_readers
    from .generators import add_filters, get_generators, write_sitemap

    signals.initialized.connect(add_filters)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(write_sitemap)
    signals.readers_init.connect(sanitise_readers)
    signals.page_generator_finalized.connect(refuse_generated_page_addresses)
    signals.article_generator_finalized.connect(refuse_generated_article_addresses)
