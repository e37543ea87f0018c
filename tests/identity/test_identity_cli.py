from __future__ import annotations

from pathlib import Path

from identity_factories import insert, interaction
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from parallax.cli.main import app

TWCS = """tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id
1,101,True,Tue Oct 31 10:00:00 +0000 2017,@AcmeAir my bag is lost,2,
2,AcmeAir,False,Tue Oct 31 10:30:00 +0000 2017,@101 sorry! DM us,3,1.0
3,101,True,Tue Oct 31 11:00:00 +0000 2017,@AcmeAir thanks,,2.0
4,102,True,Tue Oct 31 12:00:00 +0000 2017,@AcmeAir refund please,5,
5,AcmeAir,False,Tue Oct 31 14:00:00 +0000 2017,@102 looking into it,6,4.0
6,102,True,Tue Oct 31 15:00:00 +0000 2017,@AcmeAir still nothing,,5.0
"""


def test_customers_commands(
    db_url: str, session_factory: sessionmaker[Session], workspace: str, tmp_path: Path
) -> None:
    with session_factory() as session:
        insert(
            session,
            workspace,
            interaction("1", author_email="ann@x.org", author_name="Ann Lee"),
            interaction("2", 1, channel="twitter", kind="post", author_handle="@bob", author_name="Bob Ray"),
        )
        session.commit()
    runner = CliRunner()
    common = ["--workspace", workspace, "--database-url", db_url]
    linked = runner.invoke(app, ["customers", "link", *common])
    assert linked.exit_code == 0, linked.output
    assert "attached 2 interactions (2 new customers)" in linked.output
    listed = runner.invoke(app, ["customers", "list", *common])
    assert "Ann L." in listed.output and "Bob R." in listed.output
    merged = runner.invoke(app, ["customers", "merge", "2", "1", "--reason", "same", *common])
    assert merged.exit_code == 0 and "merged 2 into 1" in merged.output
    shown = runner.invoke(app, ["customers", "show", "2", *common])
    assert "customer 1" in shown.output and "merged from: 2" in shown.output
    assert "ann@x.org" not in shown.output
    undone = runner.invoke(app, ["customers", "unmerge", "2", "--reason", "no", *common])
    assert undone.exit_code == 0 and "customer 2 is separate again" in undone.output
    missing = runner.invoke(app, ["customers", "show", "99", *common])
    assert missing.exit_code == 1 and "not_found" in missing.output


def test_threads_from_a_twcs_file(tmp_path: Path) -> None:
    path = tmp_path / "twcs.csv"
    path.write_text(TWCS)
    result = CliRunner().invoke(app, ["customers", "threads", "--input", str(path)])
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if "AcmeAir" in line)
    # Two threads, both answered; first replies after 30 and 120 minutes; only the thanked one resolved.
    assert [cell.strip() for cell in row.strip("│ ").split("│")][:6] == [
        "AcmeAir",
        "2",
        "100%",
        "75.0",
        "120.0",
        "50%",
    ]
