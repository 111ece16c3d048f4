namespace Rebooking.Access;

public enum SignInResult { Success, WrongCredentials, LockedOut }
