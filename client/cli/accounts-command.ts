import { Command } from 'commander';
import { accountsAddCommand } from './accounts-add-command';
import { accountsListCommand } from './accounts-list-command';
import { accountsShowCommand } from './accounts-show-command';

export function accountsCommand(): Command {
  return new Command('accounts')
    .description("register linked accounts and show what each account's workflow knows")
    .addCommand(accountsAddCommand())
    .addCommand(accountsShowCommand())
    .addCommand(accountsListCommand());
}
