from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from modules.accounts.models import User
from modules.core.demo import current_totp_code


class Command(BaseCommand):
    help = (
        "Print the current 6-digit TOTP code of a demo account (see load_demo). "
        "Refuses to run without DEBUG unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The account's e-mail address.")
        parser.add_argument("--force", action="store_true", help="Run even though DEBUG is off.")

    def handle(self, *args, email: str, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like production, where a second factor must stay "
                "on the person's own device. Use --force to print the code anyway."
            )
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account with the e-mail address {email}.")
        try:
            code, seconds_left = current_totp_code(user)
        except Authenticator.DoesNotExist as exc:
            raise CommandError(f"{email} has no TOTP authenticator.") from exc
        self.stdout.write(code)
        if options["verbosity"] >= 1:
            self.stderr.write(f"valid for {seconds_left} more seconds; each code signs in once")
