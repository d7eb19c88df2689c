"""Demo participants for the Svendborg project: plausible, pseudonymous and made up.

Generated from a fixed seed, so every demo database holds the same 40 people: 30 in the company
centre pilot (seed 002) and 10 in small flex jobs (seed 004), registered 2013–2014 with
follow-ups every three months (a few late, one missed) and exits with the schemes' outcomes.
"""

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, func, select

from app.audit import service as audit
from app.db import stored_id
from app.governance.models import Project
from app.participants.models import FollowUp, Participant, RegistrationScheme
from app.participants.schemes import Stage, add_months, stage_fields
from app.participants.values import clean_values

DEMO_END = date(2014, 12, 31)
GOALS = [
    ("Lagerarbejde på deltid", "Pakning og plukning af varer"),
    ("Køkkenmedhjælper i kantine", "Opvask og enkel tilberedning"),
    ("Grøn pedel i kommunen", "Græsslåning og vedligehold af grønne arealer"),
    ("Butiksmedhjælper", "Opfyldning af hylder og modtagelse af varer"),
    ("Rengøringsassistent", "Rengøring af fællesarealer"),
    ("Kontorassistent på nedsat tid", "Scanning, post og arkiv"),
    ("Erhvervsuddannelse som ernæringsassistent", "Køkkenopgaver på plejecenter"),
    ("Værkstedsarbejde", "Montage og enkel reparation"),
    ("Gartnermedhjælper", "Plantning og pasning i væksthus"),
    ("Chauffør på deltid", "Kørsel med varer sammen med fast chauffør"),
]
# The outcomes of the 21 company-centre participants who leave by the end of 2014.
VC_OUTCOMES = (
    ["job"] * 4
    + ["education"] * 2
    + ["flex_job"] * 5
    + ["company_placement"] * 3
    + ["moved", "maternity"]
    + ["dropout"] * 3
    + ["disability_pension"] * 2
)


def load_demo_participants(
    *, session: Session, project: Project, progress: Callable[[str], None] = lambda _: None
) -> int:
    """Add the demo participants unless the project has some already; returns how many."""
    existing = session.exec(
        select(func.count()).select_from(Participant).where(Participant.project_id == project.id)
    ).one()
    schemes = {
        s.code_prefix: s
        for s in session.exec(
            select(RegistrationScheme).where(RegistrationScheme.project_id == project.id)
        ).all()
    }
    if existing or "VC" not in schemes:
        return 0
    progress("Opretter demodeltagere (pseudonyme koder)")
    rng = random.Random(2013)
    count = _company_centre(session=session, scheme=schemes["VC"], rng=rng)
    if "FJ" in schemes:
        count += _flex_jobs(session=session, scheme=schemes["FJ"], rng=rng)
    audit.record(
        session=session,
        by=None,
        action="imported",
        entity="participant",
        project_id=project.id,
        after={"count": count, "source": "demo"},
    )
    session.commit()
    return count


def _add(
    *,
    session: Session,
    scheme: RegistrationScheme,
    code: str,
    start: date,
    values: dict[str, Any],
    target_group: str | None = None,
) -> Participant:
    fields = stage_fields(scheme)
    participant = Participant(
        project_id=scheme.project_id,
        scheme_id=stored_id(scheme),
        code=code,
        target_group=target_group,
        start_date=start,
        start_values=clean_values(fields[Stage.start], values, stage=Stage.start),
    )
    session.add(participant)
    session.flush()
    return participant


def _follow(
    *,
    session: Session,
    scheme: RegistrationScheme,
    participant: Participant,
    day: date,
    values: dict[str, Any],
) -> None:
    session.add(
        FollowUp(
            project_id=scheme.project_id,
            participant_id=stored_id(participant),
            follow_up_date=day,
            values=clean_values(
                stage_fields(scheme)[Stage.follow_up], values, stage=Stage.follow_up
            ),
        )
    )


def _exit(
    scheme: RegistrationScheme,
    participant: Participant,
    day: date,
    outcome: str,
    values: dict[str, Any],
) -> None:
    participant.exit_date, participant.exit_outcome = day, outcome
    participant.exit_values = clean_values(
        stage_fields(scheme)[Stage.exit], values, stage=Stage.exit
    )


def _company_centre(*, session: Session, scheme: RegistrationScheme, rng: random.Random) -> int:
    outcomes = list(VC_OUTCOMES)
    rng.shuffle(outcomes)
    outcomes += [""] * (30 - len(outcomes))
    for i in range(30):
        start = date(2013, 4, 22) + timedelta(days=i * 14 + rng.randint(0, 6))
        goal, tasks = rng.choice(GOALS)
        hours = rng.choice([6, 8, 10, 12, 15])
        mentor = rng.random() < 0.7
        participant = _add(
            session=session,
            scheme=scheme,
            code=f"VC-{i + 1:03d}",
            start=start,
            target_group=(
                "I ressourceforløb" if rng.random() < 0.6 else "I risiko for ressourceforløb"
            ),
            values={
                "age": rng.randint(24, 61),
                "sex": rng.choice(["Kvinde", "Mand"]),
                "match_group": rng.choice(
                    ["Matchgruppe 2 (indsatsklar)", "Matchgruppe 3 (midlertidigt passiv)"]
                ),
                "benefit": rng.choice(
                    [
                        "Kontanthjælp",
                        "Kontanthjælp",
                        "Sygedagpenge",
                        "Ledighedsydelse",
                        "Ressourceforløbsydelse",
                    ]
                ),
                "benefit_history": rng.choice(["1–3 år", "3–5 år", "Over 5 år", "Over 5 år"]),
                "education": rng.choice(
                    [
                        "Grundskole",
                        "Grundskole",
                        "Erhvervsuddannelse",
                        "Gymnasial uddannelse",
                        "Kort videregående uddannelse",
                    ]
                ),
                "work_experience": rng.choice(["Ingen", "Under 1 år", "1–5 år", "Over 5 år"]),
                "origin": rng.choice(["Dansk oprindelse"] * 5 + ["Indvandrer", "Efterkommer"]),
                "goal": goal,
                "parallel_efforts": rng.choice(
                    [
                        "Ingen",
                        "Sundhedsfaglig behandling",
                        "Misbrugsbehandling",
                        "Socialpædagogisk støtte",
                        "Flere af disse",
                    ]
                ),
                "transition": rng.choice(
                    ["Trinvis udslusning", "Visitationsforløb", "Direkte start"]
                ),
                "placement_hours": hours,
                "placement_tasks": tasks,
                "company_type": rng.choice(
                    [
                        "Privat virksomhed",
                        "Privat virksomhed",
                        "Offentlig arbejdsplads",
                        "Socialøkonomisk virksomhed",
                    ]
                ),
                "company_mentor": mentor,
                "mentor_hours": rng.choice([1, 2, 3]) if mentor else None,
            },
        )
        outcome = outcomes[i]
        end = DEMO_END
        if outcome:
            end = min(DEMO_END, start + timedelta(days=rng.randint(120, 480)))
        last, count = start, 0
        while True:
            due = add_months(last, 3)
            # Most follow-ups on time; now and then a few weeks late; VC-007 misses one.
            day = due + timedelta(days=rng.choice([-4, 0, 2, 5, 7, 9, 12, 25, 38]))
            if i == 6 and count == 1:
                day = add_months(due, 3)
            if day > end:
                break
            development = rng.choice(
                [
                    "Flere timer",
                    "Flere timer",
                    "Nye opgaver og ansvarsområder",
                    "Uændret",
                    "Uændret",
                    "Færre timer",
                ]
            )
            hours = max(
                2,
                min(
                    37,
                    hours
                    + {"Flere timer": rng.choice([2, 3, 5]), "Færre timer": -2}.get(development, 0),
                ),
            )
            _follow(
                session=session,
                scheme=scheme,
                participant=participant,
                day=day,
                values={
                    "placement_development": development,
                    "placement_hours": hours,
                    "support_mentor": mentor,
                    "support_other": rng.random() < 0.3,
                    "support_jobcentre": True,
                    "new_parallel_efforts": rng.random() < 0.2,
                },
            )
            last, count = day, count + 1
        if outcome and end < DEMO_END:
            _exit(
                scheme,
                participant,
                max(end, last),
                outcome,
                {
                    "placements_count": rng.randint(1, 3),
                    "parallel_efforts_received": rng.random() < 0.5,
                    "mentor_support_received": mentor,
                    "municipal_follow_up": True,
                    "planned_efforts": rng.choice(
                        [
                            "Ingen",
                            "Opfølgning i fleksjobbet efter 6 måneder",
                            "Mentorstøtte de første 3 måneder i job",
                            "Opfølgning fra jobcentret",
                        ]
                    ),
                },
            )
    return 30


def _flex_jobs(*, session: Session, scheme: RegistrationScheme, rng: random.Random) -> int:
    for i in range(10):
        start = date(2013, 3, 4) + timedelta(days=i * 38 + rng.randint(0, 10))
        hours: float = rng.choice([2, 3, 4, 5, 6, 8])
        participant = _add(
            session=session,
            scheme=scheme,
            code=f"FJ-{i + 1:03d}",
            start=start,
            values={
                "flex_hours": hours,
                "employer_type": rng.choice(["Privat virksomhed", "Offentlig arbejdsplads"]),
                "job_broker": True,
            },
        )
        last = start
        while True:
            day = add_months(last, 3) + timedelta(days=rng.choice([0, 3, 6, 10, 30]))
            if day > DEMO_END:
                break
            hours = min(20, hours + rng.choice([0, 0.5, 1, 1, 2]))
            _follow(
                session=session,
                scheme=scheme,
                participant=participant,
                day=day,
                values={"flex_hours": hours, "new_tasks": rng.random() < 0.4},
            )
            last = day
            if hours > 10:
                _exit(scheme, participant, day, "above_cap", {"final_hours": hours})
                break
        if participant.exit_date is None and i in (3, 8):
            _exit(
                scheme,
                participant,
                min(DEMO_END, last + timedelta(days=20)),
                "flex_ended" if i == 3 else "moved",
                {"final_hours": hours},
            )
    return 10
