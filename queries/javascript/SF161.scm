; every JSX element
[(jsx_element) (jsx_self_closing_element)] @match
