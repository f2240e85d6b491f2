"""Which formats a view offers, as mixins: CSV on lists (every list), GeoJSON on the
lists of records with a point. Errors stay JSON whatever the format."""

from conflictapi.api.renderers import CSVRenderer, GeoJSONRenderer


# No docstrings on these mixins: the schema takes a view's description from the first
# class of its MRO that has one.
class CSVListMixin:
    # CSV on the view's lists (`list_actions`), not on details.

    def get_renderers(self):
        renderers = super().get_renderers()
        if self.action not in self.list_actions:
            renderers = [r for r in renderers if not isinstance(r, CSVRenderer)]
        return renderers


class GeoJSONMixin:
    # GeoJSON on the view's lists: one Feature a record, its properties the view's flat
    # columns (csv_columns), its point from latitude/longitude.

    def get_renderers(self):
        renderers = super().get_renderers()
        if self.action in self.list_actions:
            renderers.append(GeoJSONRenderer())
        return renderers
