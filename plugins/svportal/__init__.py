"""The social value transparency portal: a Pelican plugin that turns published CSVs into pages.

Imports run one way, from the bottom layer up: a module imports only modules of its own layer or
of layers below it, and the model (pandas) never imports Pelican. tests/unit/test_layers.py reads
this list and checks every module's imports against it.

Layers (bottom first):
    contract: schema, parse, problems, identity, settings, formatting, lifetime, orgid, units
    loading: load, wards, boundaries
    model: records, model, opportunities, data_quality, areas
    outputs: charts, exports, feeds, markup, search, sitemap, dictionary, tables, maps
    page model: pages, ratings, search_records, area_pages
    pelican: generators, editorial
    plugin: __init__, __main__, build, gates, output_folder
"""

from pelican import signals

from .editorial import refuse_generated_article_addresses, refuse_generated_page_addresses, sanitise_readers
from .generators import add_filters, get_generators, write_sitemap


def register():
    """Connect the portal to Pelican's signals."""
    signals.initialized.connect(add_filters)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(write_sitemap)
    signals.readers_init.connect(sanitise_readers)
    signals.page_generator_finalized.connect(refuse_generated_page_addresses)
    signals.article_generator_finalized.connect(refuse_generated_article_addresses)
