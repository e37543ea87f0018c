"""Word lists for made-up people, handles and agents (invented here; nothing is taken from real data)."""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    """Amara Ben Chloe Dev Elena Finn Grace Hugo Isla Jonas Kofi Lena Mateo Nadia Oscar Priya Quinn Rosa
    Sami Tara Umar Vera Wes Ximena Yusuf Zoe Aidan Bea Carlos Dana Emil Fatima Gianni Hana Ivan Julia Kai
    Lucia Marta Niall Olga Pablo Rahul Sofia Theo Ula Viktor Wen Yara Zain Aoife Bruno Clara Diego Eva
    Felix Greta Hamza Ines Jack"""
)
LAST_NAMES = _words(
    """Adeyemi Brennan Costa Dubois Eriksen Fischer Garcia Hughes Ivanova Jansen Kowalski Lopez Murphy
    Nakamura Okafor Patel Quinlan Rossi Schmidt Tanaka Ueda Varga Walsh Xu Yilmaz Zimmer Ahmed Byrne Chen
    Doyle Esposito Ferreira Gallagher Haddad Iglesias Jensen Kelly Larsen Moreau Novak O'Brien Petrov Reyes
    Silva Torres Russo Vidal Wagner Young Bakker Campbell Dias Evans Fontaine Gomez Hansen Ito Kaur Moreno
    Singh"""
)
HANDLE_WORDS = _words(
    """jetsetter travelbug wanderer flyer nomad globetrotter roamer skyhopper explorer voyager backpacker
    commuter aviator tripper drifter pilgrim"""
)
EMAIL_DOMAINS = ("example.com", "example.net", "example.org", "mail.example", "post.example")
WORK_DOMAINS = ("acme.example", "globex.example", "initech.example", "umbrella.example")
PHONE_PREFIXES = ("+447", "+1212", "+3538", "+336", "+346", "+316", "+393")
AGENTS_PER_QUEUE = 4
AGENT_NAMES = _words(
    """a.khan b.nowak c.reilly d.mensah e.lindqvist f.oliveira g.sato h.berg i.mazur j.castillo k.obi
    l.ferrari m.dunne n.haas o.salem p.rocha q.avila r.tembo s.lund t.brady"""
)
