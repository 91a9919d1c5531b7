"""Pelican settings for the production build: absolute URLs from SITEURL, no drafts."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("SITEURL", "https://aktivsammen.vejle.dk")
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
# Drafts are built locally for preview only: nothing marked draft is published.
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
COMPONENT_GALLERY = False
# The sample event calendar is for trying the guide out: published, the events window shows the
# municipality's real feed (EVENTS_FEED in the environment, or set above) or only the guide's own dates.
EVENTS_FEED = os.environ.get("EVENTS_FEED") or (None if EVENTS_FEED == SAMPLE_EVENTS_FEED else EVENTS_FEED)  # noqa: F405
# The shipped guide is a demo with fictitious contacts ("Hanne Eksempel", example.dk, 00 00 ...):
# a municipality publishing its own content sets this to True, and `make publish` then refuses
# to publish any example contact that is left (`aktivsammen examples` lists them).
PUBLISH_REFUSE_EXAMPLE_DATA = os.environ.get("PUBLISH_REFUSE_EXAMPLE_DATA", "").lower() in ("1", "true", "ja")
# Behind docs/nginx/aktivsammen.conf the OpenActive feeds use RPDE's own ?afterTimestamp= URLs
# (nginx answers them with the files); a plain static host (GitHub Pages) ignores query strings.
OPENACTIVE_QUERY_URLS = os.environ.get("OPENACTIVE_QUERY_URLS", "").lower() in ("1", "true", "ja")
# Fingerprints, headers (CSP), pre-compressed copies and a build report; runs after everything.
PLUGINS = [*PLUGINS, "plugins.publish"]  # noqa: F405

# The submission form posts to the service at this address (e.g. https://indsend.aktivsammen.vejle.dk).
# Unset, the published form works without a service: it builds the activity file in the browser
# and offers it as a download and as a proposed new file in the GitHub repository below.
SUBMISSION_SERVICE_URL = os.environ.get("SUBMISSION_SERVICE_URL") or None
SUBMISSION_GITHUB_REPOSITORY = os.environ.get(
    "SUBMISSION_GITHUB_REPOSITORY", os.environ.get("GITHUB_REPOSITORY", "")
)
