"""People by email address: finding them, and making an account for someone
who has none yet (invited, or registered by an organiser).

Addresses are compared by `normalise_email` only.
"""

from django.db import transaction

from .models import User, normalise_email


def same_email(first: str | None, second: str | None) -> bool:
    return normalise_email(first) == normalise_email(second)


def find_person(email: str) -> User | None:
    """The account with this address, in any case; None when there is none."""
    return User.objects.filter(email__iexact=normalise_email(email)).first()


def find_or_create_person(
    *,
    email: str,
    name: str = "",
    affiliation: str = "",
    sort_name: str = "",
    password: str | None = None,
) -> tuple[User, bool]:
    """The account with `email`, made if there is none; and whether it was made.

    A new account has no usable password unless one is given: its owner signs
    in with a login code sent to the address. An existing account keeps what
    its owner wrote: only an empty name, affiliation or sort name is filled in. Two
    concurrent calls for a new address make one account; the other raises
    IntegrityError (the unique address), which the caller turns into a message.
    """
    email = normalise_email(email)
    name, affiliation = name.strip(), affiliation.strip()
    sort_name = " ".join(sort_name.split())
    with transaction.atomic():
        person = find_person(email)
        if person is None:
            person = User.objects.create_user(
                email=email,
                password=password,
                name=name,
                affiliation=affiliation,
                sort_name=sort_name,
            )
            return person, True
        gaps = {"name": name, "affiliation": affiliation, "sort_name": sort_name}
        changed = [
            field
            for field, value in gaps.items()
            if value and not getattr(person, field)
        ]
        for field in changed:
            setattr(person, field, gaps[field])
        if changed:
            person.save(update_fields=changed)
    return person, False


def change_sort_name(
    *, person: User, sort_name: str, actor: User | None = None
) -> User:
    """Set how `person` sorts on badges and lists; empty: their name's last word.

    One field of the person's own row (as their profile form writes it), so
    nothing else is logged or told.
    """
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        person.sort_name = " ".join(sort_name.split())
        person.save(update_fields=["sort_name"])
    return person
