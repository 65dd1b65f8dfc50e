"""The social value transparency portal: a Pelican plugin that turns published CSVs into pages."""

from pelican import signals

from .editorial import refuse_generated_article_addresses, refuse_generated_page_addresses, sanitise_readers
from .generator import add_filters, fill_thresholds, get_generators
from .sitemap import write_sitemap


def register():
    signals.initialized.connect(add_filters)
    signals.get_generators.connect(get_generators)
    signals.content_object_init.connect(fill_thresholds)
    signals.finalized.connect(write_sitemap)
    signals.readers_init.connect(sanitise_readers)
    signals.page_generator_finalized.connect(refuse_generated_page_addresses)
    signals.article_generator_finalized.connect(refuse_generated_article_addresses)
