"""Reading Canvas's `Link` header (RFC 8288), the way its lists page."""

from lrs_bridge_connectors.canvas.links import links, next_link

CANVAS = ('<https://c.example/api/v1/accounts/self/users?per_page=2&page=bookmark:WzJd>; '
          'rel="current",<https://c.example/api/v1/accounts/self/users?per_page=2&page='
          'bookmark:WzRd>; rel="next",<https://c.example/api/v1/accounts/self/users?per_page=2'
          '&page=first>; rel="first"')


def test_the_next_page_of_a_canvas_header():
    assert next_link(CANVAS) == ("https://c.example/api/v1/accounts/self/users?per_page=2"
                                 "&page=bookmark:WzRd")
    assert set(links(CANVAS)) == {"current", "next", "first"}


def test_the_last_page_has_no_next():
    assert next_link('<https://c.example/x?page=3>; rel="current", '
                     '<https://c.example/x?page=1>; rel="first"') is None
    assert next_link(None) is None and next_link("") is None


def test_unquoted_and_several_relations_and_other_parameters():
    header = ('<https://c.example/x?page=2>;rel=next, '
              '<https://c.example/x?page=1>; title="a; b, c"; rel="first prev"')
    assert links(header) == {"next": "https://c.example/x?page=2",
                             "first": "https://c.example/x?page=1",
                             "prev": "https://c.example/x?page=1"}


def test_relation_names_are_case_insensitive_and_the_first_one_counts():
    header = '<https://c.example/a>; rel="NEXT", <https://c.example/b>; rel="next"'
    assert next_link(header) == "https://c.example/a"


def test_a_header_without_links_names_none():
    assert links("rel=next") == {} and links("<https://c.example/a>") == {}
