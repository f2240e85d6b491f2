"""Request parsers: JSON whose nesting is too deep to read is a 400, not a crash."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class DepthLimitedJSONParser(JSONParser):
    """JSON, with nesting deeper than the parser can read (about 1,000 levels) a 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON nested too deeply to read.") from None
