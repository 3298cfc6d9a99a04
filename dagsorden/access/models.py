"""Departments, units and the roles people hold in them and in forums.

A role is an assignment with a scope: a case producer and a department head belong to a
department, a unit leader to a unit, a secretary and a member to a forum. What each role
may do is decided in ``rules.py`` alone.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from dagsorden.core.models import BaseModel
from dagsorden.meetings.models import Organization


class Department(BaseModel):
    """An afdeling: its head approves its cases."""

    name = models.CharField(_("navn"), max_length=200, unique=True)
    unit_review = models.BooleanField(
        _("enhedsleder gennemser sager"),
        default=False,
        help_text=_("Sager går forbi enhedslederen, før afdelingschefen godkender."),
    )

    class Meta:
        verbose_name = _("afdeling")
        verbose_name_plural = _("afdelinger")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Unit(BaseModel):
    """An enhed inside a department, led by a unit leader."""

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="units", verbose_name=_("afdeling")
    )
    name = models.CharField(_("navn"), max_length=200)

    class Meta:
        verbose_name = _("enhed")
        verbose_name_plural = _("enheder")
        ordering = ["department__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.department})"


class Role(models.TextChoices):
    CASE_PRODUCER = "case_producer", _("Sagsproducent")
    UNIT_LEADER = "unit_leader", _("Enhedsleder")
    DEPARTMENT_HEAD = "department_head", _("Afdelingschef")
    SECRETARY = "secretary", _("Sekretær")
    MEMBER = "member", _("Forummedlem")
    ADMINISTRATOR = "administrator", _("Administrator")


# Which scope each role needs: the field that must be set, all others empty.
ROLE_SCOPE = {
    Role.CASE_PRODUCER: "department",
    Role.UNIT_LEADER: "unit",
    Role.DEPARTMENT_HEAD: "department",
    Role.SECRETARY: "organization",
    Role.MEMBER: "organization",
    Role.ADMINISTRATOR: None,
}
SCOPES = ("department", "unit", "organization")


class RoleAssignment(BaseModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="role_assignments",
        verbose_name=_("bruger"),
    )
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("afdeling")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("enhed")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("forum")
    )

    class Meta:
        verbose_name = _("rolle")
        verbose_name_plural = _("roller")
        ordering = ["user__username", "role"]

    def __str__(self) -> str:
        scope = self.department or self.unit or self.organization
        label = Role(self.role).label
        return f"{self.user} – {label}" + (f" ({scope})" if scope else "")

    def clean(self) -> None:
        needed = ROLE_SCOPE.get(Role(self.role)) if self.role in Role.values else None
        for scope in SCOPES:
            has = getattr(self, f"{scope}_id") is not None
            if scope == needed and not has:
                raise ValidationError({scope: _("Rollen kræver dette felt.")})
            if (
                scope != needed
                and has
                and not (self.role == Role.CASE_PRODUCER and scope == "unit")
            ):
                raise ValidationError({scope: _("Rollen bruger ikke dette felt.")})

    def save(self, *args: object, **kwargs: object) -> None:
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        # The Django group of the role carries the model permissions the admin needs.
        with translation.override("da"):
            name = str(Role(self.role).label)
        group, _created = Group.objects.get_or_create(name=name)
        self.user.groups.add(group)
