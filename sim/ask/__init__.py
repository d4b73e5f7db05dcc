"""``commsim ask``: an operator's question ("2 shill accounts or a 9.9-yuan fee, to keep my
300-person group alive past three months?") answered by a paired sweep sized to give a clear
answer, in plain words, on the terminal and as a page. ``core`` runs it, ``text`` words it,
``page`` draws it, ``commands`` is the command line."""
