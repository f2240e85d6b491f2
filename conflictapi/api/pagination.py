from rest_framework.pagination import PageNumberPagination


class PageNumberPagination(PageNumberPagination):
    """`page` and `page_size` (default 50, at most 1000). An out-of-range page is a 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000
