"""The social value transparency portal: a Pelican plugin that turns published CSVs into pages."""

from pelican import signals

from .generator import add_filters, get_generators


def register():
    signals.initialized.connect(add_filters)
    signals.get_generators.connect(get_generators)
