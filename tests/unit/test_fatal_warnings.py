"""A warning logged while building stops the build: by the portal's own handler, not by matching a message."""

from __future__ import annotations

import logging

import pytest

from svportal.build import FatalWarning, StopOnWarnings


@pytest.fixture
def stopping_logger():
    logger = logging.getLogger("svportal.test_fatal_warnings")
    handler = StopOnWarnings()
    logger.addHandler(handler)
    yield logger
    logger.removeHandler(handler)


def test_information_does_not_stop_the_build(stopping_logger):
    stopping_logger.info("Read 3 contracts")


@pytest.mark.parametrize("level", [logging.WARNING, logging.ERROR])
def test_a_warning_or_an_error_stops_the_build(stopping_logger, level):
    with pytest.raises(FatalWarning, match="Cannot import plugin"):
        stopping_logger.log(level, "Cannot import plugin `%s`", "no_such_plugin")
