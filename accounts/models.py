from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


def normalise_email(email: str | None) -> str:
    """An address as it is stored and compared: no surrounding space, lower case.

    allauth stores addresses lower-cased too. Lookups still match any case
    (`email__iexact`), for addresses written before this rule.
    """
    return (email or "").strip().lower()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not normalise_email(email):
            raise ValueError("An email address is required.")
        user = self.model(email=normalise_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person: the email address is the login; there are no usernames."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    # Badges and name lists sort by this; blank sorts by the name's last word.
    sort_name = models.CharField(
        _("sort name"),
        max_length=200,
        blank=True,
        help_text=_(
            "The name as it sorts in lists and on badges, such as “van Dijk” or "
            "“Mäkinen”. Empty: the last word of the name."
        ),
    )
    country = models.CharField(_("country"), max_length=2, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, blank=True, default="en"
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self):
        return self.name or self.email

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name.split(" ")[0] if self.name else self.email

    @property
    def sorts_as(self) -> str:
        """The sort name, or by default the surname (the name's last word)."""
        return self.sort_name or default_sort_name(self.name or self.email)


def default_sort_name(name: str) -> str:
    """The last word of `name`: the surname in most names the office sees.

    Names written without spaces (as Chinese names are) sort as a whole.
    """
    words = name.split()
    return words[-1] if words else ""
