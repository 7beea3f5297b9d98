# ruff: noqa: E501 - benchmark output lines
"""Benchmark: drawing 450 name badges as a PDF, in-process (not a test).

    .venv/bin/python bench/badges.py [--people 450] [--runs 3] [--layout 90x55]

No database and no server: the cost of the PDF itself, which the HTTP benchmark
in organise_registrations.py measures again behind gunicorn. Names mix every
script a badge must print (Finnish, Swedish, Sámi, Greek, Arabic, Hebrew) with
one Chinese name in four, drawn from 130 characters, so the embedded CJK
font subset is as large as a real event's. Reports the import of WeasyPrint
(once per process), the QR codes (cached per code after the first run), and
each run's wall and CPU time: CPU time is what the shared machine's load does
not inflate.
"""

import argparse
import os
import sys
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("LOG_LEVEL", "WARNING")
sys.path.insert(0, str(ROOT))

GIVEN = ["Aino", "Åsa", "Máret", "Γιώργος", "محمد", "דוד", "Øystein", "Eeva-Liisa"]
SURNAMES = [
    "Mäkinen",
    "Öberg",
    "Čuđđe",
    "Παπαδόπουλος",
    "العلي",
    "כהן",
    "Ŋuvlat",
    "Šđŧž",
]
HAN = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤明华国建平军文英"
ORGANISATIONS = [
    "Helsingin yliopisto",
    "Kungliga Tekniska högskolan",
    "Sámi allaskuvla",
    "Πανεπιστήμιο Αθηνών",
    "清华大学",
    "جامعة القاهرة",
    "האוניברסיטה העברית",
]


def made_badges(people: int):
    from accounts.models import default_sort_name
    from registrations.selectors.badges import Badge, sort_key
    from registrations.tokens import new_checkin_code

    badges = []
    for n in range(people):
        if n % 4 == 0:
            name = (
                HAN[n % len(HAN)]
                + HAN[(n * 7 + 3) % len(HAN)]
                + HAN[(n * 13 + 5) % len(HAN)]
            )
        else:
            name = f"{GIVEN[n % 8]} {SURNAMES[(n // 8) % 8]}"
        badges.append(
            Badge(
                name=name,
                sort_name=default_sort_name(name),
                organisation=ORGANISATIONS[n % len(ORGANISATIONS)],
                registration_type=["Participant", "Speaker", "Staff"][n % 3],
                checkin_code=new_checkin_code(),
            )
        )
    return sorted(badges, key=sort_key)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=450)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--layout", default="90x55")
    args = parser.parse_args()
    import django

    django.setup()
    from registrations import badges as badge_pdf

    print(f"load average before: {os.getloadavg()}")
    started, cpu = time.perf_counter(), time.process_time()
    import weasyprint  # noqa: F401 - timed: the first badge of a process pays it

    print(
        f"import WeasyPrint: {time.perf_counter() - started:.2f} s "
        f"(CPU {time.process_time() - cpu:.2f} s)"
    )
    badges = made_badges(args.people)
    event = SimpleNamespace(
        title="Spring Forum for Higher Education Institutions' International Issues"
    )
    layout = badge_pdf.LAYOUTS[args.layout]
    started, cpu = time.perf_counter(), time.process_time()
    for badge in badges:
        badge_pdf.qr_data_uri(badge.checkin_code)
    print(
        f"{args.people} QR codes: {time.perf_counter() - started:.2f} s "
        f"(CPU {time.process_time() - cpu:.2f} s)"
    )
    badge_pdf.qr_data_uri.cache_clear()
    for run in range(args.runs):
        started, cpu = time.perf_counter(), time.process_time()
        data = badge_pdf.badges_pdf(event, badges, layout)
        print(
            f"run {run + 1}: {args.people} badges ({layout.key}), {len(data):,} bytes: "
            f"{time.perf_counter() - started:.2f} s (CPU {time.process_time() - cpu:.2f} s)"
            + (", QR codes included" if run == 0 else "")
        )
    print("target: < 10 s")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
