"""Reading a paginated list the way a client does."""


def follow_next(api, url, params):
    """Every page of a list from its first, following `next`: the ids in order, and
    each page's body."""
    ids, bodies, page_url = [], [], url
    while page_url:
        response = api.get(page_url, params if page_url == url else None)
        assert response.status_code == 200, response.content
        bodies.append(response.json())
        ids += [row["id"] for row in bodies[-1]["results"]]
        page_url = bodies[-1]["next"]
    return ids, bodies
